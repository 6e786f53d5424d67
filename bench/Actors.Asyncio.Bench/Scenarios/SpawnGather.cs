using Actors.Asyncio.Bench.Harness;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>(1) Spawn N trivial tasks and gather them (issue 2: ≥ 5× CPython).</summary>
public sealed class SpawnGather : IScenario
{
    /// <inheritdoc />
    public string Name => "spawn_gather";

    /// <inheritdoc />
    public string Title => "spawn + gather 100,000 trivial tasks";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics { get; } = [Metric.Rate("tasks_per_s", "tasks/s")];

    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } =
    [
        new(Impl.Aio, OnAio),
        new(Impl.DotNet, OnDotNet, "Task.Run + Task.WhenAll on the thread pool"),
    ];

    private static Task<int> Trivial(int i) => Task.FromResult(i);

    private static Task<Sample> OnAio(BenchContext ctx)
    {
        int n = ctx.Pick(100_000, 2_000);
        return ctx.OnLoop(async () =>
        {
            var sw = Measure.Start();
            var tasks = new List<AioTask<int>>(n);
            for (int i = 0; i < n; i++)
            {
                int v = i;
                tasks.Add(Aio.CreateTask(() => Trivial(v)));
            }
            int[] results = await Aio.Gather(tasks);
            int last = results[^1];
            var elapsed = sw.Elapsed;
            if (last != n - 1) throw new InvalidOperationException($"last result {last}, expected {n - 1}");
            return new Sample { ["tasks_per_s"] = Measure.Rate(n, elapsed) };
        });
    }

    private static async Task<Sample> OnDotNet(BenchContext ctx)
    {
        int n = ctx.Pick(100_000, 2_000);
        var sw = Measure.Start();
        var tasks = new Task<int>[n];
        for (int i = 0; i < n; i++)
        {
            int v = i;
            tasks[i] = Task.Run(() => v);
        }
        int[] results = await Task.WhenAll(tasks);
        var elapsed = sw.Elapsed;
        if (results[^1] != n - 1) throw new InvalidOperationException("wrong result");
        return new Sample { ["tasks_per_s"] = Measure.Rate(n, elapsed) };
    }
}
