using Actors.Asyncio.Bench.Harness;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>(issue 4) wait(FIRST_COMPLETED) over N pending tasks, R rounds; before each round one task's future is
/// completed, so every round registers on and unregisters from all the pending tasks (issue 4: ≥ 3× CPython).</summary>
public sealed class WaitFirst : IScenario
{
    /// <inheritdoc />
    public string Name => "wait_first";

    /// <inheritdoc />
    public string Title => "Wait(FirstCompleted) over 10,000 pending tasks";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics { get; } = [Metric.Rate("waits_per_s", "waits/s")];

    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } =
    [
        new(Impl.Aio, OnAio),
        new(Impl.DotNet, OnDotNet, "Task.WhenAny over the pending list"),
    ];

    private static (int N, int Rounds) Size(BenchContext ctx) => (ctx.Pick(10_000, 1_000), ctx.Pick(50, 3));

    private static Task<Sample> OnAio(BenchContext ctx)
    {
        var (n, rounds) = Size(ctx);
        return ctx.OnLoop(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var futs = new AioFuture<int>[n];
            var tasks = new List<AioTask<int>>(n);
            for (int i = 0; i < n; i++)
            {
                var f = futs[i] = loop.CreateFuture<int>();
                tasks.Add(Aio.CreateTask(async () => await f));
            }
            await Aio.Sleep(0);
            IEnumerable<AioTask<int>> pending = tasks;
            var sw = Measure.Start();
            for (int r = 0; r < rounds; r++)
            {
                futs[r].SetResult(r);
                var (done, stillPending) = await Aio.Wait(pending, returnWhen: ReturnWhen.FirstCompleted);
                if (done.Count != 1) throw new InvalidOperationException($"round {r}: {done.Count} done, expected 1");
                pending = stillPending;
            }
            var elapsed = sw.Elapsed;
            var left = pending.ToList();
            foreach (var t in left) t.Cancel();
            foreach (var t in left)
            {
                try { await t; } catch (CancelledException) { }
            }
            return new Sample { ["waits_per_s"] = Measure.Rate(rounds, elapsed) };
        });
    }

    private static async Task<Sample> OnDotNet(BenchContext ctx)
    {
        var (n, rounds) = Size(ctx);
        var sources = new TaskCompletionSource<int>[n];
        var pending = new List<Task<int>>(n);
        static async Task<int> Waiter(Task<int> t) => await t;
        for (int i = 0; i < n; i++)
        {
            sources[i] = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            pending.Add(Waiter(sources[i].Task));
        }
        var sw = Measure.Start();
        for (int r = 0; r < rounds; r++)
        {
            sources[r].SetResult(r);
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
        }
        var elapsed = sw.Elapsed;
        for (int i = rounds; i < n; i++) sources[i].SetCanceled();
        await Task.WhenAll(pending).ContinueWith(static _ => { }, TaskScheduler.Default);
        return new Sample { ["waits_per_s"] = Measure.Rate(rounds, elapsed) };
    }
}
