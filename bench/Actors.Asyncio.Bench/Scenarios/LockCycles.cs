using Actors.Asyncio.Bench.Harness;
using Nito.AsyncEx;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>(5) T tasks × C lock cycles, yielding once inside the critical section (issue 5: ≥ 5× CPython).
/// Every implementation checks that the lock really excluded (the counter ends at T × C).</summary>
public sealed class LockCycles : IScenario
{
    /// <inheritdoc />
    public string Name => "lock_cycles";

    /// <inheritdoc />
    public string Title => "100 tasks × 1,000 lock cycles with a yield inside";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics { get; } = [Metric.Rate("cycles_per_s", "cycles/s")];

    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } =
    [
        new(Impl.Aio, OnAio),
        new(Impl.DotNet, OnDotNet, "SemaphoreSlim(1, 1) + Task.Yield on the thread pool"),
        new(Impl.Nito, OnNito, "AsyncLock + Task.Yield on the thread pool"),
    ];

    private static (int Tasks, int Cycles) Size(BenchContext ctx) => (ctx.Pick(100, 10), ctx.Pick(1_000, 100));

    private static Sample Result(int tasks, int cycles, int counter, TimeSpan elapsed)
    {
        if (counter != tasks * cycles)
            throw new InvalidOperationException($"counter {counter}, expected {tasks * cycles}: the lock let two tasks in");
        return new Sample { ["cycles_per_s"] = Measure.Rate((long)tasks * cycles, elapsed) };
    }

    private static Task<Sample> OnAio(BenchContext ctx)
    {
        var (tasks, cycles) = Size(ctx);
        return ctx.OnLoop(async () =>
        {
            var l = new AioLock();
            int counter = 0;
            var sw = Measure.Start();
            var all = new List<AioTask>(tasks);
            for (int t = 0; t < tasks; t++)
                all.Add(Aio.CreateTask(async () =>
                {
                    for (int i = 0; i < cycles; i++)
                    {
                        using (await l.AcquireAsync())
                        {
                            int v = counter;
                            await Aio.Sleep(0);
                            counter = v + 1;
                        }
                    }
                }));
            await Sleeps.JoinAll(all);
            return Result(tasks, cycles, counter, sw.Elapsed);
        });
    }

    private static async Task<Sample> OnDotNet(BenchContext ctx)
    {
        var (tasks, cycles) = Size(ctx);
        var sem = new SemaphoreSlim(1, 1);
        int counter = 0;
        var sw = Measure.Start();
        var all = new Task[tasks];
        for (int t = 0; t < tasks; t++)
            all[t] = Task.Run(async () =>
            {
                for (int i = 0; i < cycles; i++)
                {
                    await sem.WaitAsync();
                    try
                    {
                        int v = counter;
                        await Task.Yield();
                        counter = v + 1;
                    }
                    finally { sem.Release(); }
                }
            });
        await Task.WhenAll(all);
        return Result(tasks, cycles, Volatile.Read(ref counter), sw.Elapsed);
    }

    private static async Task<Sample> OnNito(BenchContext ctx)
    {
        var (tasks, cycles) = Size(ctx);
        var l = new AsyncLock();
        int counter = 0;
        var sw = Measure.Start();
        var all = new Task[tasks];
        for (int t = 0; t < tasks; t++)
            all[t] = Task.Run(async () =>
            {
                for (int i = 0; i < cycles; i++)
                {
                    using (await l.LockAsync())
                    {
                        int v = counter;
                        await Task.Yield();
                        counter = v + 1;
                    }
                }
            });
        await Task.WhenAll(all);
        return Result(tasks, cycles, Volatile.Read(ref counter), sw.Elapsed);
    }
}
