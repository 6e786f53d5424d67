using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Queues;

public class AioPriorityQueueSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task Get_ReturnsSmallestFirst()   // asyncio Q2, test_queues.PriorityQueueTests.test_order
    {
        var items = await RunAsync(async () =>
        {
            var q = new AioPriorityQueue<int>();
            foreach (var i in new[] { 1, 3, 2 }) await q.PutAsync(i);
            return new[] { await q.GetAsync(), await q.GetAsync(), await q.GetAsync() };
        });
        Assert.Equal([1, 2, 3], items);
    }

    [Fact]
    public async Task Get_ManyRandomItems_ComeOutSorted()
    {
        await RunAsync(() =>
        {
            var rnd = new Random(42);
            var input = Enumerable.Range(0, 2000).Select(_ => rnd.Next(500)).ToList();
            var q = new AioPriorityQueue<int>();
            foreach (var i in input) q.PutNoWait(i);
            var output = new List<int>();
            while (q.TryGet(out var x)) output.Add(x);
            Assert.Equal(input.OrderBy(x => x), output);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Get_EqualPriorities_ComeOutInPutOrder()
    {
        await RunAsync(() =>
        {
            var byPriority = Comparer<(int Priority, string Name)>.Create((a, b) => a.Priority.CompareTo(b.Priority));
            var q = new AioPriorityQueue<(int Priority, string Name)>(comparer: byPriority);
            q.PutNoWait((2, "a"));
            q.PutNoWait((1, "b"));
            q.PutNoWait((2, "c"));
            q.PutNoWait((1, "d"));
            q.PutNoWait((2, "e"));
            var names = Enumerable.Range(0, 5).Select(_ => q.GetNoWait().Name);
            Assert.Equal(["b", "d", "a", "c", "e"], names);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Comparer_Descending_ReturnsLargestFirst()
    {
        await RunAsync(() =>
        {
            var q = new AioPriorityQueue<int>(maxSize: 0, comparer: Comparer<int>.Create((a, b) => b.CompareTo(a)));
            foreach (var i in new[] { 1, 3, 2 }) q.PutNoWait(i);
            Assert.Equal([3, 2, 1], new[] { q.GetNoWait(), q.GetNoWait(), q.GetNoWait() });
            return Task.CompletedTask;
        });
    }

    private sealed class NotComparable;

    [Fact]
    public void Constructor_NotComparableWithoutComparer_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => new AioPriorityQueue<NotComparable>());
        Assert.Contains("IComparer", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AioPriorityQueue<int>(-5));
    }

    [Fact]
    public async Task Get_WokenReaderCancelled_ItemStaysFirstAmongEquals()   // asyncio Q5 for PriorityQueue
    {
        await RunAsync(async () =>
        {
            var byPriority = Comparer<(int Priority, string Name)>.Create((a, b) => a.Priority.CompareTo(b.Priority));
            var q = new AioPriorityQueue<(int, string Name)>(comparer: byPriority);
            var reader = Aio.CreateTask(async () => await q.GetAsync());
            await Aio.Sleep(0);
            q.PutNoWait((1, "first"));   // handed to the reader
            q.PutNoWait((1, "second"));
            reader.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await reader);
            Assert.Equal("first", q.GetNoWait().Name);
            Assert.Equal("second", q.GetNoWait().Name);
        });
    }

    [Fact]
    public async Task Put_BoundedPriorityQueue_BackpressuresAndJoins()   // _QueueJoinTestMixin for PriorityQueue
    {
        await RunAsync(async () =>
        {
            var q = new AioPriorityQueue<int>(maxSize: 2);
            var producer = Aio.CreateTask(async () => { foreach (var i in new[] { 5, 4, 3, 2, 1 }) await q.PutAsync(i); });
            await Aio.Sleep(0);
            Assert.True(q.IsFull);
            var got = new List<int>();
            for (int i = 0; i < 5; i++) { got.Add(await q.GetAsync()); q.TaskDone(); }
            await producer;
            await q.JoinAsync();
            // A getter parked on an empty queue is handed the first item that arrives (3), where asyncio's woken getter
            // would take the smallest item queued by the time it runs (2): see docs/queues.md, "Hand-off".
            Assert.Equal([4, 5, 3, 1, 2], got);
        });
    }
}
