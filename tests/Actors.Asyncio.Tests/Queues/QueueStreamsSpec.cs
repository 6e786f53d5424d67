using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Queues;

public class QueueStreamsSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task AsSink_FeedsTheQueue_WithBackpressure()
    {
        var mat = Sys.Materializer();
        var q = new AioQueue<int>(maxSize: 4, loop: Loop);
        var done = Source.From(Enumerable.Range(0, 1000)).RunWith(q.AsSink(), mat);
        // Wait (with a guard, not a timing assertion) until the stream has filled the queue.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (q.Count < 4 && DateTime.UtcNow < deadline) await Task.Delay(5);
        Assert.False(done.IsCompleted);       // held back: nobody takes from the queue yet
        Assert.InRange(q.Count, 1, 4);
        var got = await RunAsync(async () =>
        {
            var list = new List<int>();
            for (int i = 0; i < 1000; i++) list.Add(await q.GetAsync());
            return list;
        });
        await done;
        Assert.Equal(Enumerable.Range(0, 1000), got);
    }

    [Fact]
    public async Task AsSink_OnShutDownQueue_FailsTheMaterializedTask()
    {
        var q = new AioQueue<int>(loop: Loop);
        q.Shutdown();
        var done = Source.Single(1).RunWith(q.AsSink(), Sys.Materializer());
        await Assert.ThrowsAsync<QueueShutDownException>(() => done);
    }

    [Fact]
    public async Task AsSource_DrainsTheQueue_AndCompletesAfterShutdown()
    {
        var q = new AioQueue<int>(maxSize: 8, loop: Loop);
        var all = q.AsSource().RunWith(Sink.Seq<int>(), Sys.Materializer());
        await RunAsync(async () =>
        {
            for (int i = 0; i < 500; i++) await q.PutAsync(i);
            q.Shutdown();
        });
        Assert.Equal(Enumerable.Range(0, 500), await all);
    }

    [Fact]
    public async Task AsSource_CancelledDownstream_LosesNoItem()
    {
        var q = new AioQueue<int>(loop: Loop);
        var firstThree = q.AsSource().Take(3).RunWith(Sink.Seq<int>(), Sys.Materializer());
        await RunAsync(async () => { for (int i = 0; i < 10; i++) await q.PutAsync(i); });
        Assert.Equal([0, 1, 2], await firstThree);
        // The source's cancelled get gives its item back; wait for it (with a guard) rather than for a fixed time.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (q.Count < 7 && DateTime.UtcNow < deadline) await Task.Delay(5);
        var rest = await RunAsync(() =>
        {
            var list = new List<int>();
            while (q.TryGet(out var x)) list.Add(x);
            return Task.FromResult(list);
        });
        Assert.Equal(Enumerable.Range(3, 7), rest);
    }

    [Fact]
    public async Task SinkToSource_ThroughAQueue_PassesEveryElement()
    {
        var mat = Sys.Materializer();
        var q = new AioQueue<string>(maxSize: 16, loop: Loop);
        var result = q.AsSource().Take(2000).RunWith(Sink.Seq<string>(), mat);
        await Source.From(Enumerable.Range(0, 2000)).Select(i => i.ToString()).RunWith(q.AsSink(), mat);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => i.ToString()), await result);
    }
}
