using Actors.Asyncio.Bench.Harness;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>(2) N concurrent 100 ms sleeps: wall time, and the heap they hold while all are pending
/// (issue 2: ≤ 0.5 s). Memory is measured in a second, separate pass (with longer sleeps) so the full GCs do not
/// distort the timing.</summary>
public sealed class Sleeps : IScenario
{
    /// <inheritdoc />
    public string Name => "sleeps";

    /// <inheritdoc />
    public string Title => "100,000 concurrent 100 ms sleeps";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics { get; } =
    [
        Metric.Cost("wall_s", "wall time", "s"),
        Metric.Cost("peak_mb", "memory while all sleep", "MB"),
        Metric.Cost("bytes_per_task", "bytes per sleeping task", "B"),
    ];

    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } =
    [
        new(Impl.Aio, OnAio),
        new(Impl.DotNet, OnDotNet, "Task.Delay + Task.WhenAll"),
    ];

    private static (int N, double Delay) Size(BenchContext ctx) => (ctx.Pick(100_000, 2_000), ctx.Pick(0.1, 0.01));

    // The memory pass sleeps longer so that the full collections it makes cannot outlast the sleeps.
    private static double MemoryPassDelay(BenchContext ctx) => ctx.Pick(1.0, 0.2);

    private static Task<Sample> OnAio(BenchContext ctx)
    {
        var (n, delay) = Size(ctx);
        return ctx.OnLoop(async () =>
        {
            var sw = Measure.Start();
            var tasks = new List<AioTask>(n);
            for (int i = 0; i < n; i++) tasks.Add(Aio.CreateTask(() => Aio.Sleep(delay)));
            await JoinAll(tasks);
            double wall = sw.Elapsed.TotalSeconds;

            tasks.Clear();   // the finished tasks of the timed pass must not count as freed memory below
            // One more await: until the task awaits again, the Gather over the timed tasks (and so all of them) is still
            // reachable, which would otherwise count as memory freed by the pass below (see docs/performance.md).
            await Aio.Sleep(0);
            long before = Measure.HeapAfterFullGc();
            double memDelay = MemoryPassDelay(ctx);
            for (int i = 0; i < n; i++) tasks.Add(Aio.CreateTask(() => Aio.Sleep(memDelay)));
            await Aio.Sleep(0);   // every task has started and waits on its timer
            long during = Measure.HeapAfterFullGc();
            await JoinAll(tasks);
            return new Sample { ["wall_s"] = wall, ["peak_mb"] = (during - before) / 1e6, ["bytes_per_task"] = (during - before) / (double)n };
        });
    }

    internal static async Task JoinAll(List<AioTask> tasks)
    {
        await Aio.Gather(tasks);
    }

    private static async Task<Sample> OnDotNet(BenchContext ctx)
    {
        var (n, delay) = Size(ctx);
        var span = TimeSpan.FromSeconds(delay);
        var sw = Measure.Start();
        var tasks = new Task[n];
        for (int i = 0; i < n; i++) tasks[i] = Task.Delay(span);
        await Task.WhenAll(tasks);
        double wall = sw.Elapsed.TotalSeconds;

        Array.Clear(tasks);   // the finished tasks of the timed pass must not count as freed memory below
        long before = Measure.HeapAfterFullGc();
        var memSpan = TimeSpan.FromSeconds(MemoryPassDelay(ctx));
        for (int i = 0; i < n; i++) tasks[i] = Task.Delay(memSpan);
        long during = Measure.HeapAfterFullGc();
        await Task.WhenAll(tasks);
        return new Sample { ["wall_s"] = wall, ["peak_mb"] = (during - before) / 1e6, ["bytes_per_task"] = (during - before) / (double)n };
    }
}
