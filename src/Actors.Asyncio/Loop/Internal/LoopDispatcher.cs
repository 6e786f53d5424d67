using Akka.Configuration;
using Akka.Dispatch;

namespace Actors.Asyncio.Internal;

/// <summary>The executor of a loop's Akka dispatcher: a mailbox run is one more item of the loop's ready queue.</summary>
internal sealed class LoopExecutorService(string id, AioEventLoop loop) : ExecutorService(id)
{
    public override void Execute(IRunnable run) => loop.Post(new ReadyItem(RunnableWork.Instance, run, null));

    // Akka shuts an idle dispatcher's executor down and later makes a new one (a new thread). The loop owns its
    // thread for its whole life, so there is nothing to shut down here; closing the loop stops the thread.
    public override void Shutdown() { }
}

internal sealed class LoopExecutorServiceFactory(AioEventLoop loop) : ExecutorServiceFactory
{
    public override ExecutorService Produce(string id) => new LoopExecutorService(id, loop);
}

/// <summary>Registered at run time under a unique id per loop, so several loops live in one ActorSystem.</summary>
internal sealed class LoopDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly MessageDispatcher _dispatcher;

    public LoopDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites, string id, int throughput, AioEventLoop loop)
        : base(config, prerequisites)
    {
        _dispatcher = new Dispatcher(this, id, throughput, null, new LoopExecutorServiceFactory(loop), TimeSpan.FromSeconds(1));
    }

    public override MessageDispatcher Dispatcher() => _dispatcher;
}
