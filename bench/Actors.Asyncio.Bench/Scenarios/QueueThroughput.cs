using System.Threading.Channels;
using Actors.Asyncio.Bench.Harness;
using Nito.AsyncEx;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>(4) A queue of max size 100 carrying N items, 1 producer/1 consumer and 4P/4C
/// (issue 5: ≥ 2× CPython and ahead of Nito).</summary>
public sealed class QueueThroughput : IScenario
{
    private const int MaxSize = 100;

    /// <inheritdoc />
    public string Name => "queue_throughput";

    /// <inheritdoc />
    public string Title => "queue maxsize 100, 1,000,000 items, 1P/1C and 4P/4C";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics { get; } =
    [
        Metric.Rate("items_per_s_1p1c", "1P/1C items/s"),
        Metric.Rate("items_per_s_4p4c", "4P/4C items/s"),
    ];

    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } =
    [
        new(Impl.Aio, OnAio),
        new(Impl.DotNet, OnDotNet, "Channel.CreateBounded(100), producers and consumers on the thread pool"),
        new(Impl.Nito, OnNito, "AsyncProducerConsumerQueue(100)"),
    ];

    private static int Items(BenchContext ctx) => ctx.Pick(1_000_000, 10_000);

    private static Task<Sample> OnAio(BenchContext ctx)
    {
        int n = Items(ctx);
        return ctx.OnLoop(async () =>
        {
            async Task<double> One(int pairs)
            {
                var q = new AioQueue<int>(maxSize: MaxSize);
                int per = n / pairs;
                var sw = Measure.Start();
                var tasks = new List<AioTask>();
                for (int p = 0; p < pairs; p++)
                    tasks.Add(Aio.CreateTask(async () => { for (int i = 0; i < per; i++) await q.PutAsync(i); }));
                for (int c = 0; c < pairs; c++)
                    tasks.Add(Aio.CreateTask(async () => { for (int i = 0; i < per; i++) await q.GetAsync(); }));
                await Sleeps.JoinAll(tasks);
                return Measure.Rate((long)per * pairs, sw.Elapsed);
            }
            return new Sample { ["items_per_s_1p1c"] = await One(1), ["items_per_s_4p4c"] = await One(4) };
        });
    }

    private static async Task<Sample> OnDotNet(BenchContext ctx)
    {
        int n = Items(ctx);
        async Task<double> One(int pairs)
        {
            var ch = Channel.CreateBounded<int>(new BoundedChannelOptions(MaxSize)
            {
                SingleReader = pairs == 1,
                SingleWriter = pairs == 1,
            });
            int per = n / pairs;
            var sw = Measure.Start();
            var tasks = new List<Task>();
            for (int p = 0; p < pairs; p++)
                tasks.Add(Task.Run(async () => { for (int i = 0; i < per; i++) await ch.Writer.WriteAsync(i); }));
            for (int c = 0; c < pairs; c++)
                tasks.Add(Task.Run(async () => { for (int i = 0; i < per; i++) await ch.Reader.ReadAsync(); }));
            await Task.WhenAll(tasks);
            return Measure.Rate((long)per * pairs, sw.Elapsed);
        }
        return new Sample { ["items_per_s_1p1c"] = await One(1), ["items_per_s_4p4c"] = await One(4) };
    }

    private static async Task<Sample> OnNito(BenchContext ctx)
    {
        int n = Items(ctx);
        async Task<double> One(int pairs)
        {
            var q = new AsyncProducerConsumerQueue<int>(MaxSize);
            int per = n / pairs;
            var sw = Measure.Start();
            var tasks = new List<Task>();
            for (int p = 0; p < pairs; p++)
                tasks.Add(Task.Run(async () => { for (int i = 0; i < per; i++) await q.EnqueueAsync(i); }));
            for (int c = 0; c < pairs; c++)
                tasks.Add(Task.Run(async () => { for (int i = 0; i < per; i++) await q.DequeueAsync(); }));
            await Task.WhenAll(tasks);
            return Measure.Rate((long)per * pairs, sw.Elapsed);
        }
        return new Sample { ["items_per_s_1p1c"] = await One(1), ["items_per_s_4p4c"] = await One(4) };
    }
}
