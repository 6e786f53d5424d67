using Actors.Asyncio.Bench.Harness;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>(12) A queue across actor systems over Akka.Remote on loopback (issue 10): items/s from 1 producer node
/// (the host) to 2 consumer nodes with 4 consumer tasks each, beside the same shape in one process; and the latency of
/// one remote put and one remote get (each a network round trip). CPython has no equivalent (asyncio stops at one
/// process).</summary>
public sealed class RemoteQueue : IScenario
{
    private const int MaxSize = 100, ConsumersPerNode = 4;

    /// <inheritdoc />
    public string Name => "remote_queue";

    /// <inheritdoc />
    public string Title => "queue maxsize 100 across 3 actor systems on loopback TCP: 1 producer node -> 2 consumer nodes x 4 tasks";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics { get; } =
    [
        Metric.Rate("items_per_s_remote", "remote items/s"),
        Metric.Rate("items_per_s_local", "same shape in-process items/s"),
        Metric.Cost("rtt_us_median", "one remote put or get, median", "us"),
        Metric.Cost("rtt_us_p99", "one remote put or get, p99", "us"),
    ];

    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } = [new(Impl.Aio, OnAio, "AioQueue.Publish + OpenAsync over Akka.Remote (DotNetty TCP, 127.0.0.1)")];

    private static ActorSystem RemoteSystem(string name) => ActorSystem.Create(name, ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters = off
        akka.actor.provider = remote
        akka.remote.log-remote-lifecycle-events = off
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        """).WithFallback(AioConfig.Default));

    private static async Task<Sample> OnAio(BenchContext ctx)
    {
        int n = ctx.Pick(200_000, 5_000), pings = ctx.Pick(5_000, 500);
        var systems = new[] { RemoteSystem("bench-host"), RemoteSystem("bench-c1"), RemoteSystem("bench-c2") };
        var loops = systems.Select((s, i) => AioEventLoop.Create(s, "remote-" + i)).ToArray();
        try
        {
            var hostAddress = ((ExtendedActorSystem)systems[0]).Provider.DefaultAddress;
            var q = new AioQueue<int>(MaxSize, loops[0]);
            q.Publish("bench");
            int remaining = n;

            // Open on both consumer nodes first, so the measurement starts with the associations up.
            var handles = await Task.WhenAll(loops.Skip(1).Select((loop, i) =>
                loop.RunAsync(() => AioQueue<int>.OpenAsync(systems[i + 1], "bench", hostAddress))));
            var sw = Measure.Start();
            var producer = loops[0].RunAsync(async () => { for (int i = 0; i < n; i++) await q.PutAsync(i); });
            var consumers = loops.Skip(1).Select((loop, i) => loop.RunAsync(async () =>
            {
                var remote = handles[i];
                var tasks = Enumerable.Range(0, ConsumersPerNode).Select(_ => Aio.CreateTask(async () =>
                {
                    while (Interlocked.Decrement(ref remaining) >= 0)
                    {
                        await remote.GetAsync();
                        remote.TaskDone();
                    }
                })).ToList();
                await Sleeps.JoinAll(tasks);
            })).ToList();
            await producer;
            await Task.WhenAll(consumers);
            await loops[0].RunAsync(() => q.JoinAsync());
            double remoteRate = Measure.Rate(n, sw.Elapsed);

            // Latency: one consumer node alone, one operation at a time.
            var rtts = await loops[1].RunAsync(async () =>
            {
                var remote = handles[0];
                var us = new List<double>(2 * pings);
                for (int i = 0; i < pings; i++)
                {
                    var t = Measure.Start();
                    await remote.PutAsync(i);
                    us.Add(t.Elapsed.TotalMicroseconds);
                    t.Restart();
                    await remote.GetAsync();
                    us.Add(t.Elapsed.TotalMicroseconds);
                    remote.TaskDone();
                }
                return us;
            });
            rtts.Sort();
            q.Unpublish();

            var local = await LocalRate(loops[0], n);
            return new Sample
            {
                ["items_per_s_remote"] = remoteRate,
                ["items_per_s_local"] = local,
                ["rtt_us_median"] = rtts[rtts.Count / 2],
                ["rtt_us_p99"] = rtts[(int)(rtts.Count * 0.99)],
            };
        }
        finally
        {
            foreach (var loop in loops) await loop.DisposeAsync();
            await Task.WhenAll(systems.Select(s => s.Terminate()));
        }
    }

    /// <summary>The same shape in one process: 1 producer task, 8 consumer tasks, one loop.</summary>
    private static Task<double> LocalRate(AioEventLoop loop, int n) => loop.RunAsync(async () =>
    {
        var q = new AioQueue<int>(MaxSize);
        int remaining = n;
        var sw = Measure.Start();
        var tasks = new List<AioTask> { Aio.CreateTask(async () => { for (int i = 0; i < n; i++) await q.PutAsync(i); }) };
        for (int c = 0; c < 2 * ConsumersPerNode; c++)
            tasks.Add(Aio.CreateTask(async () =>
            {
                while (Interlocked.Decrement(ref remaining) >= 0)
                {
                    await q.GetAsync();
                    q.TaskDone();
                }
            }));
        await Sleeps.JoinAll(tasks);
        return Measure.Rate(n, sw.Elapsed);
    });
}
