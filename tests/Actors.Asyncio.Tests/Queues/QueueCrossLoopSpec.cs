using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Queues;

public class QueueCrossLoopSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task TwoProducerLoops_OneConsumerLoop_NoItemLostOrDuplicated()
    {
        const int perProducer = 50_000;
        await using var p1 = AioEventLoop.Create(Sys, "p1");
        await using var p2 = AioEventLoop.Create(Sys, "p2");
        await using var c = AioEventLoop.Create(Sys, "c");
        var q = new AioQueue<long>(maxSize: 64, loop: c);   // the consumer owns it; both producers are remote

        int maxSeen = 0;
        var consumer = c.RunAsync(async () =>
        {
            long sum = 0;
            var seen = new HashSet<long>();
            for (int i = 0; i < 2 * perProducer; i++)
            {
                long v = await q.GetAsync();
                sum += v;
                seen.Add(v);
                q.TaskDone();
                if (i % 1000 == 0) maxSeen = Math.Max(maxSeen, q.Count);
            }
            return (sum, seen.Count);
        });
        Task Produce(AioEventLoop loop, long offset) => loop.RunAsync(async () =>
        {
            for (long k = 0; k < perProducer; k++) await q.PutAsync(offset + k);
        });
        await Task.WhenAll(Produce(p1, 0), Produce(p2, 1_000_000));
        var (sum, distinct) = await consumer;

        long expected = 2L * Enumerable.Range(0, perProducer).Sum(k => (long)k) + 1_000_000L * perProducer;
        Assert.Equal(expected, sum);
        Assert.Equal(2 * perProducer, distinct);
        Assert.Equal(0, q.Count);
        Assert.InRange(maxSeen, 0, 64 + 2);   // bounded: producers were held back across loops
        await RunAsync(() => q.JoinAsync());
    }

    [Fact]
    public async Task RemoteGetters_CancelledAtRandom_LoseNoItem()   // pitfall 1 across loops
    {
        const int n = 5_000;
        await using var other = AioEventLoop.Create(Sys, "getters");
        var q = new AioQueue<int>(maxSize: 0, loop: Loop);
        var producer = RunAsync(async () =>
        {
            for (int i = 0; i < n; i++)
            {
                q.PutNoWait(i);
                if (i % 7 == 0) await Aio.Sleep(0);
            }
        });
        var got = await other.RunAsync(async () =>
        {
            var list = new List<int>();
            var rnd = new Random(1);
            int misses = 0;
            while (list.Count + misses < n * 3 && list.Count < n)
            {
                var getter = Aio.CreateTask(async () => await q.GetAsync());
                if (rnd.Next(3) == 0) { await Aio.Sleep(0); getter.Cancel(); }
                try { list.Add(await getter); }
                catch (CancelledException) { misses++; }
            }
            return list;
        });
        await producer;
        var rest = await RunAsync(() =>
        {
            var left = new List<int>();
            while (q.TryGet(out var x)) left.Add(x);
            return Task.FromResult(left);
        });
        var all = got.Concat(rest).OrderBy(x => x).ToList();
        Assert.Equal(Enumerable.Range(0, n), all);
    }

    [Fact]
    public async Task RemotePutter_CancelledWhileWaiting_AddsNothing()   // asyncio Q6 across loops
    {
        await using var other = AioEventLoop.Create(Sys, "putter");
        var q = new AioQueue<int>(maxSize: 1, loop: Loop);
        await RunAsync(() => { q.PutNoWait(1); return Task.CompletedTask; });
        var putter = other.CreateTask(() => q.PutAsync(2));
        await WaitUntil(() => RunAsync(() => Task.FromResult(q.PutterCount == 1)));
        putter.Cancel();
        await Assert.ThrowsAsync<CancelledException>(async () => await other.RunAsync(async () => { await putter; }));
        await WaitUntil(() => RunAsync(() => Task.FromResult(q.PutterCount == 0)));
        await RunAsync(async () =>
        {
            Assert.Equal(1, await q.GetAsync());
            await Aio.Sleep(0);
            Assert.True(q.IsEmpty);
            Assert.Equal(1, q.UnfinishedTasks);
        });
    }

    [Fact]
    public async Task PlainThread_OnBoundQueue_UsesRoundTripsAndAsyncMembers()
    {
        var q = new AioQueue<string>(maxSize: 2, loop: Loop);
        await Task.Run(async () =>
        {
            q.PutNoWait("a");
            Assert.True(q.TryPut("b"));
            Assert.Throws<QueueFullException>(() => q.PutNoWait("c"));
            Assert.Equal("a", q.GetNoWait());
            await q.PutAsync("c");
            Assert.Equal("b", await q.GetAsync());
            Assert.True(q.TryGet(out var c));
            Assert.Equal("c", c);
            Assert.Throws<QueueEmptyException>(() => q.GetNoWait());
            var pending = q.GetAsync().AsTask();
            Assert.False(pending.IsCompleted);
            q.PutNoWait("d");
            Assert.Equal("d", await pending);
            for (int i = 0; i < 4; i++) q.TaskDone();
            await q.JoinAsync();
        });
    }

    [Fact]
    public async Task PlainThread_TokenCancelsPendingGet_ItemStays()
    {
        var q = new AioQueue<int>(loop: Loop);
        using var cts = new CancellationTokenSource();
        var pending = q.GetAsync(cts.Token).AsTask();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        q.PutNoWait(5);
        Assert.Equal(5, await q.GetAsync());
    }

    [Fact]
    public async Task SyncMembers_FromAnotherLoop_ThrowPointingToAsync()
    {
        await using var other = AioEventLoop.Create(Sys, "other");
        var q = new AioQueue<int>(loop: Loop);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => other.RunAsync(() => { q.PutNoWait(1); return Task.CompletedTask; }));
        Assert.Contains("PutAsync", e.Message);
        var e2 = await Assert.ThrowsAsync<InvalidOperationException>(() => other.RunAsync(() => Task.FromResult(q.GetNoWait())));
        Assert.Contains("GetAsync", e2.Message);
        // TaskDone and Shutdown need no round trip: they work from anywhere.
        await other.RunAsync(async () => { await q.PutAsync(1); q.TaskDone(); await q.JoinAsync(); });
        Assert.Equal(0, q.UnfinishedTasks);
    }

    [Fact]
    public async Task UnboundQueue_FromPlainThread_ThrowsClearError_FirstLoopBindsIt()
    {
        var q = new AioQueue<int>();
        var e = await Task.Run(() => Assert.Throws<InvalidOperationException>(() => q.PutNoWait(1)));
        Assert.Contains("no loop owns the queue", e.Message);
        Assert.Null(q.Loop);
        await RunAsync(() => q.PutAsync(1));
        Assert.Same(Loop, q.Loop);
        Assert.Equal(1, await Task.Run(() => q.GetNoWait()));
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached");
            await Task.Delay(5);
        }
    }
}
