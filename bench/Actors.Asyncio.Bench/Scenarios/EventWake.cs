using Actors.Asyncio.Bench.Harness;
using Nito.AsyncEx;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>(6) N idle tasks awaiting one event: heap bytes per waiting task (full-GC delta, separate pass) and the
/// time from Set until the last one has run (issue 5: ≤ 500 B/task, wake ≤ 0.1 s).</summary>
public sealed class EventWake : IScenario
{
    /// <inheritdoc />
    public string Name => "event_wake";

    /// <inheritdoc />
    public string Title => "100,000 idle tasks awaiting one event";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics { get; } =
    [
        Metric.Cost("bytes_per_task", "bytes per waiting task", "B"),
        Metric.Cost("wake_s", "wake all", "s"),
    ];

    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } =
    [
        new(Impl.Aio, OnAio),
        new(Impl.DotNet, OnDotNet, "async methods awaiting one TaskCompletionSource (RunContinuationsAsynchronously)"),
        new(Impl.Nito, OnNito, "async methods awaiting one AsyncManualResetEvent"),
    ];

    private static int Count(BenchContext ctx) => ctx.Pick(100_000, 2_000);

    private static Task<Sample> OnAio(BenchContext ctx)
    {
        int n = Count(ctx);
        return ctx.OnLoop(async () =>
        {
            async Task<(double PerTask, double Wake)> Round(bool measureMemory)
            {
                var ev = new AioEvent();
                var allWoken = Aio.GetRunningLoop().CreateFuture<bool>();
                int left = n;
                await Aio.Sleep(0);   // drops the reference to the future last awaited (see Sleeps)
                long before = measureMemory ? Measure.HeapAfterFullGc() : 0;
                var tasks = new List<AioTask>(n);
                for (int i = 0; i < n; i++)
                    tasks.Add(Aio.CreateTask(async () =>
                    {
                        await ev.WaitAsync();
                        if (--left == 0) allWoken.SetResult(true);
                    }));
                await Aio.Sleep(0);   // every task has started and waits on the event
                double perTask = measureMemory ? (Measure.HeapAfterFullGc() - before) / (double)n : 0;
                var sw = Measure.Start();
                ev.Set();
                await allWoken;
                double wake = sw.Elapsed.TotalSeconds;
                await Sleeps.JoinAll(tasks);
                return (perTask, wake);
            }
            var (_, wakeS) = await Round(false);
            var (bytes, _) = await Round(true);
            return new Sample { ["bytes_per_task"] = bytes, ["wake_s"] = wakeS };
        });
    }

    private static async Task<Sample> Generic(int n, Func<(Func<Task> Wait, Action Set)> make)
    {
        async Task<(double PerTask, double Wake)> Round(bool measureMemory)
        {
            var (wait, set) = make();
            var allWoken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            int left = n;
            async Task Waiter()
            {
                await wait();
                if (Interlocked.Decrement(ref left) == 0) allWoken.SetResult();
            }
            long before = measureMemory ? Measure.HeapAfterFullGc() : 0;
            var tasks = new Task[n];
            for (int i = 0; i < n; i++) tasks[i] = Waiter();
            double perTask = measureMemory ? (Measure.HeapAfterFullGc() - before) / (double)n : 0;
            var sw = Measure.Start();
            set();
            await allWoken.Task;
            double wake = sw.Elapsed.TotalSeconds;
            await Task.WhenAll(tasks);
            return (perTask, wake);
        }
        var (_, wakeS) = await Round(false);
        var (bytes, _) = await Round(true);
        return new Sample { ["bytes_per_task"] = bytes, ["wake_s"] = wakeS };
    }

    private static Task<Sample> OnDotNet(BenchContext ctx) => Generic(Count(ctx), () =>
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return (() => tcs.Task, () => tcs.SetResult());
    });

    private static Task<Sample> OnNito(BenchContext ctx) => Generic(Count(ctx), () =>
    {
        var ev = new AsyncManualResetEvent();
        return (() => ev.WaitAsync(), () => ev.Set());
    });
}
