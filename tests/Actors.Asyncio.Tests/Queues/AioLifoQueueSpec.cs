using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Queues;

public class AioLifoQueueSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task Get_ReturnsMostRecentFirst()   // asyncio Q2, test_queues.LifoQueueTests.test_order
    {
        var items = await RunAsync(async () =>
        {
            var q = new AioLifoQueue<int>();
            foreach (var i in new[] { 1, 3, 2 }) await q.PutAsync(i);
            return new[] { await q.GetAsync(), await q.GetAsync(), await q.GetAsync() };
        });
        Assert.Equal([2, 3, 1], items);
    }

    [Fact]
    public async Task Put_BeyondMaxSize_Waits()   // asyncio Q1 for LifoQueue
    {
        await RunAsync(async () =>
        {
            var q = new AioLifoQueue<int>(maxSize: 2);
            q.PutNoWait(1);
            q.PutNoWait(2);
            Assert.True(q.IsFull);
            Assert.Throws<QueueFullException>(() => q.PutNoWait(3));
            var putter = Aio.CreateTask(() => q.PutAsync(3));
            await Aio.Sleep(0);
            Assert.False(putter.IsDone);
            Assert.Equal(2, q.GetNoWait());
            await putter;
            Assert.Equal(3, q.GetNoWait());
            Assert.Equal(1, q.GetNoWait());
        });
    }

    [Fact]
    public async Task Get_WokenReaderCancelled_ItemIsNextAgain()   // asyncio Q5 for LifoQueue
    {
        await RunAsync(async () =>
        {
            var q = new AioLifoQueue<int>();
            var reader = Aio.CreateTask(async () => await q.GetAsync());
            await Aio.Sleep(0);
            q.PutNoWait(1);   // handed to the reader
            reader.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await reader);
            q.PutNoWait(2);
            Assert.Equal([2, 1], new[] { q.GetNoWait(), q.GetNoWait() });
        });
    }

    [Fact]
    public async Task Join_WorksAsForAQueue()   // _QueueJoinTestMixin for LifoQueue
    {
        await RunAsync(async () =>
        {
            var q = new AioLifoQueue<string>();
            Assert.Throws<InvalidOperationException>(() => q.TaskDone());
            q.PutNoWait("a");
            var join = Aio.CreateTask(() => q.JoinAsync());
            await q.GetAsync();
            q.TaskDone();
            await join;
            Assert.StartsWith("<AioLifoQueue #", q.ToString());
        });
    }
}
