using Akka.Actor;
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
    private readonly LoopActorDispatcher _dispatcher;

    public LoopDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites, string id, int throughput, AioEventLoop loop)
        : base(config, prerequisites)
    {
        _dispatcher = new LoopActorDispatcher(this, id, throughput, new LoopExecutorServiceFactory(loop));
    }

    public override MessageDispatcher Dispatcher() => _dispatcher;

    /// <summary>The dispatcher itself, with the actors it hosts.</summary>
    public LoopActorDispatcher LoopDispatcher => _dispatcher;
}

/// <summary>Akka's dispatcher, keeping track of the actors placed on it: when the loop closes it stops them and runs
/// until they have stopped, because once the loop's thread is gone they could neither run nor stop, and the actor
/// system would wait for them at termination (CoordinatedShutdown's 10 s).</summary>
internal sealed class LoopActorDispatcher(MessageDispatcherConfigurator configurator, string id, int throughput, ExecutorServiceFactory executor)
    : Dispatcher(configurator, id, throughput, null, executor, TimeSpan.FromSeconds(1))
{
    private readonly HashSet<IActorRef> _hosted = [];

    public override void Attach(ActorCell cell)
    {
        lock (_hosted) _hosted.Add(cell.Self);
        base.Attach(cell);
    }

    public override void Detach(ActorCell cell)
    {
        lock (_hosted) _hosted.Remove(cell.Self);
        base.Detach(cell);
    }

    /// <summary>The actors on this dispatcher now (any thread).</summary>
    public IActorRef[] Hosted()
    {
        lock (_hosted) return [.. _hosted];
    }
}
