using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Queues;

// asyncio Q9, Q10; test_queues._QueueShutdownTestMixin, run for each queue type.
public class QueueShutdownSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    public static TheoryData<string> Kinds => new() { "fifo", "lifo", "priority" };

    private static AioQueue<string> Create(string kind, int maxSize = 0) => kind switch
    {
        "lifo" => new AioLifoQueue<string>(maxSize),
        "priority" => new AioPriorityQueue<string>(maxSize),
        _ => new AioQueue<string>(maxSize),
    };

    private static async Task AssertPutsAndGetsRaise(AioQueue<string> q)
    {
        await Assert.ThrowsAsync<QueueShutDownException>(() => q.PutAsync("data"));
        Assert.Throws<QueueShutDownException>(() => q.PutNoWait("data"));
        await Assert.ThrowsAsync<QueueShutDownException>(async () => await q.GetAsync());
        Assert.Throws<QueueShutDownException>(() => q.GetNoWait());
        Assert.False(q.TryPut("data"));
        Assert.False(q.TryGet(out _));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task Shutdown_EmptyQueue_WakesGetterWithShutDown(string kind)   // test_shutdown_empty
    {
        await RunAsync(async () =>
        {
            var q = Create(kind);
            var getTask = Aio.CreateTask(async () => await q.GetAsync());
            await Aio.Sleep(0);
            q.Shutdown(immediate: false);
            Assert.Equal(0, q.Count);
            await q.JoinAsync();
            await Aio.Sleep(0);
            Assert.True(getTask.IsDone);
            await Assert.ThrowsAsync<QueueShutDownException>(async () => await getTask);
            await AssertPutsAndGetsRaise(q);
            Assert.True(q.IsShutDown);
        });
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task Shutdown_NonEmptyQueue_FailsPutters_GetsDrainThenRaise(string kind)   // test_shutdown_nonempty
    {
        await RunAsync(async () =>
        {
            var q = Create(kind, maxSize: 1);
            q.PutNoWait("data");
            var joinTask = Aio.CreateTask(() => q.JoinAsync());
            var putTask = Aio.CreateTask(() => q.PutAsync("data2"));
            await Aio.Sleep(0);
            Assert.False(putTask.IsDone);
            q.Shutdown(immediate: false);
            Assert.Equal(1, q.Count);
            await Aio.Sleep(0);
            Assert.True(putTask.IsDone);
            await Assert.ThrowsAsync<QueueShutDownException>(async () => await putTask);
            Assert.Equal("data", await q.GetAsync());
            await Aio.Sleep(0);
            Assert.False(joinTask.IsDone);
            await AssertPutsAndGetsRaise(q);
            q.TaskDone();
            await Aio.Sleep(0);
            Assert.True(joinTask.IsDone);
            await joinTask;
            Assert.Throws<InvalidOperationException>(() => q.TaskDone());
        });
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task ShutdownImmediate_DropsItems_AndReleasesJoin(string kind)   // test_shutdown_immediate
    {
        await RunAsync(async () =>
        {
            var q = Create(kind);
            q.PutNoWait("data");
            var joinTask = Aio.CreateTask(() => q.JoinAsync());
            q.Shutdown(immediate: true);
            Assert.Equal(0, q.Count);
            await Aio.Sleep(0);
            Assert.True(joinTask.IsDone);
            await joinTask;
            await AssertPutsAndGetsRaise(q);
            Assert.Throws<InvalidOperationException>(() => q.TaskDone());
        });
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task ShutdownImmediate_WithUnfinished_CountDropsByDiscardedItems(string kind)   // test_shutdown_immediate_with_unfinished
    {
        await RunAsync(async () =>
        {
            var q = Create(kind);
            q.PutNoWait("data");
            q.PutNoWait("data");
            var joinTask = Aio.CreateTask(() => q.JoinAsync());
            Assert.Equal("data", await q.GetAsync());
            q.Shutdown(immediate: true);
            Assert.Equal(0, q.Count);
            await Aio.Sleep(0);
            Assert.False(joinTask.IsDone);
            await AssertPutsAndGetsRaise(q);
            q.TaskDone();
            Assert.Throws<InvalidOperationException>(() => q.TaskDone());
            await Aio.Sleep(0);
            Assert.True(joinTask.IsDone);
            await joinTask;
        });
    }

    [Fact]
    public async Task ShutdownImmediate_GetterWokenInSameTick_RaisesAndItemIsDropped()   // asyncio Q10: the woken getter re-checks
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>();
            var getter = Aio.CreateTask(async () => await q.GetAsync());
            await Aio.Sleep(0);
            q.PutNoWait(1);            // handed to the getter, delivered next tick
            q.Shutdown(immediate: true);
            await Assert.ThrowsAsync<QueueShutDownException>(async () => await getter);
            Assert.Equal(0, q.UnfinishedTasks);
            await q.JoinAsync();
        });
    }

    [Fact]
    public async Task Shutdown_PutterWokenInSameTick_RaisesShutDown()   // asyncio Q9: the woken putter re-checks
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>(1);
            q.PutNoWait(1);
            var putter = Aio.CreateTask(() => q.PutAsync(2));
            await Aio.Sleep(0);
            Assert.Equal(1, q.GetNoWait());   // wakes the putter
            q.Shutdown();
            await Assert.ThrowsAsync<QueueShutDownException>(async () => await putter);
            Assert.True(q.IsEmpty);
        });
    }

    [Fact]
    public async Task Shutdown_FromAPlainThread_FailsWaitersOnTheHomeLoop()
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>(1);
            q.PutNoWait(1);
            var putter = Aio.CreateTask(() => q.PutAsync(2));
            var getterQ = new AioQueue<int>();
            var getter = Aio.CreateTask(async () => await getterQ.GetAsync());
            await Aio.Sleep(0);
            await Task.Run(() => { q.Shutdown(); getterQ.Shutdown(immediate: true); });
            await Assert.ThrowsAsync<QueueShutDownException>(async () => await putter);
            await Assert.ThrowsAsync<QueueShutDownException>(async () => await getter);
            Assert.Equal(1, q.GetNoWait());
        });
    }
}
