using Akka.Actor;
using Akka.Configuration;

namespace Actors.Asyncio.Tests.Queues;

/// <summary>Actor systems talking over Akka.Remote on 127.0.0.1 (port 0, real TCP), each with one event loop; all are
/// closed at dispose.</summary>
public sealed class RemoteNodes : IAsyncDisposable
{
    public const string RemoteConfig = """
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters = off
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.remote.log-remote-lifecycle-events = off
        akka.remote.watch-failure-detector {
          heartbeat-interval = 200ms
          acceptable-heartbeat-pause = 2s
          unreachable-nodes-reaper-interval = 200ms
          expected-response-after = 500ms
        }
        akka.remote.retry-gate-closed-for = 200ms
        actors.asyncio.remote-queue.open-timeout = 5s
        """;

    private readonly List<(ActorSystem System, AioEventLoop Loop)> _nodes = [];

    public (ActorSystem System, AioEventLoop Loop) Start(string name, string extraConfig = "")
    {
        var config = ConfigurationFactory.ParseString(extraConfig)
            .WithFallback(ConfigurationFactory.ParseString(RemoteConfig))
            .WithFallback(AioConfig.Default);
        var system = ActorSystem.Create(name, config);
        var loop = AioEventLoop.Create(system, name);
        _nodes.Add((system, loop));
        return (system, loop);
    }

    public static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    /// <summary>Runs <paramref name="consumers"/> healthy consumer tasks on the running loop: each gets, counts the item
    /// in <paramref name="processed"/> and marks it done, until the queue is shut down.</summary>
    public static AioFuture<Akka.NotUsed[]> ConsumeUntilShutDown(AioEventLoop loop, AioQueue<int> queue, int consumers, int[] processed) =>
        Aio.Gather(Enumerable.Range(0, consumers).Select(_ => (AioTask<Akka.NotUsed>)loop.CreateTask(async () =>
        {
            while (true)
            {
                int item;
                try { item = await queue.GetAsync(); }
                catch (QueueShutDownException) { return; }
                Interlocked.Increment(ref processed[item]);
                queue.TaskDone();
            }
        })).ToArray());

    public async ValueTask DisposeAsync()
    {
        foreach (var (system, loop) in _nodes)
        {
            try { await loop.DisposeAsync(); } catch (Exception) { /* its system may be gone already */ }
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
