using Actors.Asyncio.Bench.Harness;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>(issue 4) N sequential WaitFor(coroutine, 10 s) whose coroutine yields once and never times out
/// (issue 4: ≥ 3× CPython).</summary>
public sealed class WaitFor : IScenario
{
    /// <inheritdoc />
    public string Name => "wait_for";

    /// <inheritdoc />
    public string Title => "100,000 sequential WaitFor that do not time out";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics { get; } = [Metric.Rate("calls_per_s", "calls/s")];

    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } =
    [
        new(Impl.Aio, OnAio),
        new(Impl.DotNet, OnDotNet, "Task.WaitAsync(10 s) over a method that awaits Task.Yield"),
    ];

    private static int Count(BenchContext ctx) => ctx.Pick(100_000, 2_000);

    private static Task<Sample> OnAio(BenchContext ctx)
    {
        int n = Count(ctx);
        return ctx.OnLoop(async () =>
        {
            static async Task<int> Inner(int i)
            {
                await Aio.Sleep(0);
                return i;
            }
            var sw = Measure.Start();
            for (int i = 0; i < n; i++)
            {
                int v = i;
                int r = await Aio.WaitFor(() => Inner(v), timeout: 10.0);
                if (r != i) throw new InvalidOperationException($"got {r}, expected {i}");
            }
            return new Sample { ["calls_per_s"] = Measure.Rate(n, sw.Elapsed) };
        });
    }

    private static async Task<Sample> OnDotNet(BenchContext ctx)
    {
        int n = Count(ctx);
        static async Task<int> Inner(int i)
        {
            await Task.Yield();
            return i;
        }
        var timeout = TimeSpan.FromSeconds(10);
        var sw = Measure.Start();
        for (int i = 0; i < n; i++)
        {
            int r = await Inner(i).WaitAsync(timeout);
            if (r != i) throw new InvalidOperationException($"got {r}, expected {i}");
        }
        return new Sample { ["calls_per_s"] = Measure.Rate(n, sw.Elapsed) };
    }
}
