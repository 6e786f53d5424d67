using Actors.Asyncio.Bench.Harness;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>(3) Sleep(0) ping-pong between two tasks: every Sleep(0) is one switch (issue 2: round trip ≥ 5× CPython).</summary>
public sealed class PingPong : IScenario
{
    /// <inheritdoc />
    public string Name => "ping_pong";

    /// <inheritdoc />
    public string Title => "Sleep(0) ping-pong between two tasks, 1,000,000 switches";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics { get; } = [Metric.Rate("switches_per_s", "switches/s")];

    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } =
    [
        new(Impl.Aio, OnAio),
        new(Impl.DotNet, OnDotNet, "two thread-pool tasks looping on Task.Yield (they may run in parallel on 2 cores)"),
    ];

    private static Task<Sample> OnAio(BenchContext ctx)
    {
        int n = ctx.Pick(1_000_000, 10_000);
        return ctx.OnLoop(async () =>
        {
            static async Task Player(int count)
            {
                for (int i = 0; i < count; i++) await Aio.Sleep(0);
            }
            var sw = Measure.Start();
            var a = Aio.CreateTask(() => Player(n / 2));
            var b = Aio.CreateTask(() => Player(n / 2));
            await a;
            await b;
            return new Sample { ["switches_per_s"] = Measure.Rate(n, sw.Elapsed) };
        });
    }

    private static async Task<Sample> OnDotNet(BenchContext ctx)
    {
        int n = ctx.Pick(1_000_000, 10_000);
        static async Task Player(int count)
        {
            for (int i = 0; i < count; i++) await Task.Yield();
        }
        var sw = Measure.Start();
        await Task.WhenAll(Task.Run(() => Player(n / 2)), Task.Run(() => Player(n / 2)));
        return new Sample { ["switches_per_s"] = Measure.Rate(n, sw.Elapsed) };
    }
}
