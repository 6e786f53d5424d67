using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.TestKit;

public class AioTestKitSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task VirtualClock_ExecutorJobInFlight_ClockWaitsForItInsteadOfJumping()
    {
        var trace = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var log = new List<string>();
            var sleeper = Aio.CreateTask(async () => { await Aio.Sleep(10); log.Add($"slept@{loop.Time():F0}"); });
            string r = await Aio.ToThread(() => { Thread.Sleep(50); return "job"; });
            log.Add($"{r}@{loop.Time():F0}");
            await sleeper;
            return string.Join(" ", log);
        });
        Assert.Equal("job@0 slept@10", trace);
    }

    [Fact]
    public async Task VirtualClock_PlainDotNetAwaitInFlight_ClockWaitsForIt()
    {
        var trace = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var log = new List<string>();
            var sleeper = Aio.CreateTask(async () => { await Aio.Sleep(10); log.Add($"slept@{loop.Time():F0}"); });
            await Task.Delay(30);   // real work the loop does not own: virtual time must not run past it
            log.Add($"delay@{loop.Time():F0}");
            await sleeper;
            return string.Join(" ", log);
        });
        Assert.Equal("delay@0 slept@10", trace);
    }

    [Fact]
    public async Task VirtualClock_TimersFireInDeadlineOrder_TiesInSchedulingOrder()
    {
        var trace = await RunAsync(async () =>
        {
            var log = new List<string>();
            var tasks = new List<AioTask>();
            foreach (var (name, delay) in new[] { ("c", 3.0), ("a", 1.0), ("b1", 2.0), ("b2", 2.0), ("z", 0.0) })
                tasks.Add(Aio.CreateTask(async () => { await Aio.Sleep(delay); log.Add(name); }));
            foreach (var t in tasks) await t;
            return string.Join(" ", log);
        });
        Assert.Equal("z a b1 b2 c", trace);
    }

    [Fact]
    public async Task Scenario_RepeatedFiftyTimes_GivesIdenticalTraces()
    {
        string? first = null;
        for (int run = 0; run < 50; run++)
        {
            var trace = await RunAsync(async () =>
            {
                var loop = Aio.GetRunningLoop();
                double t0 = loop.Time();
                var log = new List<string>();
                var handoff = loop.CreateFuture<int>();
                var tasks = Enumerable.Range(0, 100).Select(i => Aio.CreateTask(async () =>
                {
                    await Aio.Sleep((i * 7919 % 13) / 10.0);
                    log.Add($"{i}a@{loop.Time() - t0:F1}");
                    if (i == 50) handoff.SetResult(i);
                    if (i % 3 == 0) { int v = await handoff; log.Add($"{i}got{v}"); }
                    await Aio.Sleep(0);
                    log.Add($"{i}b");
                    return i;
                })).ToList();
                int sum = 0;
                foreach (var t in tasks) sum += await t;
                log.Add("sum" + sum);
                return string.Join(" ", log);
            });
            first ??= trace;
            Assert.Equal(first, trace);
        }
        Assert.Contains("sum4950", first);
    }

    [Fact]
    public void Dispose_PendingTaskSwallowsCancellation_FailsClearly()
    {
        var kit = new SwallowingKit();
        kit.Loop.CreateTask(async () =>
        {
            while (true)
            {
                try { await Aio.Sleep(1); }
                catch (CancelledException) { }
            }
        }, name: "stubborn");
        var e = Assert.Throws<InvalidOperationException>(() => kit.Dispose());
        Assert.Contains("swallowed the cancellation", e.Message);
        Assert.Contains("stubborn", e.Message);
    }

    [Fact]
    public void Dispose_PendingTaskThatEndsWhenCancelled_IsCancelledQuietly()
    {
        var kit = new SwallowingKit();
        // A future nobody completes: under virtual time a long sleep could simply end before the dispose.
        var t = kit.Loop.CreateTask(async () => await Aio.GetRunningLoop().CreateFuture<int>());
        kit.Dispose();
        Assert.True(t.IsCancelled);
    }

    private sealed class SwallowingKit : AioTestKit
    {
        public SwallowingKit() : base(null, virtualTime: true) => PendingTaskGrace = TimeSpan.FromMilliseconds(300);
    }
}
