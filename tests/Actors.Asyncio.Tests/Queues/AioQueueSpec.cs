using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Queues;

public class AioQueueSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public void Constructor_NegativeMaxSize_ThrowsArgumentOutOfRange()   // asyncio Q1 (C# has no float maxsize, Q11)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AioQueue<int>(-1));
        Assert.Contains("maxSize", e.Message);
    }

    [Fact]
    public async Task MaxSizeZero_IsUnbounded_NeverFull()   // asyncio Q1, test_queues.test_full
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>();
            for (int i = 0; i < 10_000; i++) await q.PutAsync(i);
            Assert.False(q.IsFull);
            Assert.Equal(10_000, q.Count);
            Assert.Equal(0, q.MaxSize);
            var one = new AioQueue<int>(maxSize: 1);
            Assert.False(one.IsFull);
            await one.PutAsync(1);
            Assert.True(one.IsFull);
        });
    }

    [Fact]
    public async Task IsEmpty_FollowsPutAndGet()   // test_queues.test_empty
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>();
            Assert.True(q.IsEmpty);
            await q.PutAsync(1);
            Assert.False(q.IsEmpty);
            Assert.Equal(1, await q.GetAsync());
            Assert.True(q.IsEmpty);
        });
    }

    [Fact]
    public async Task Get_ReturnsItemsInPutOrder()   // asyncio Q2, test_queues.test_order
    {
        var items = await RunAsync(async () =>
        {
            var q = new AioQueue<int>();
            foreach (var i in new[] { 1, 3, 2 }) await q.PutAsync(i);
            return new[] { await q.GetAsync(), await q.GetAsync(), await q.GetAsync() };
        });
        Assert.Equal([1, 3, 2], items);
    }

    [Fact]
    public async Task PutAndGet_WithRoomOrItem_CompleteWithoutSuspending()   // asyncio Q3
    {
        await RunAsync(() =>
        {
            var q = new AioQueue<string>(maxSize: 2);
            var put = q.PutAsync("a");
            Assert.True(put.IsCompletedSuccessfully);
            var get = q.GetAsync();
            Assert.True(get.IsCompletedSuccessfully);
            Assert.Equal("a", get.Result);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Put_OnFullQueue_WaitsUntilAGetFreesASlot()   // test_queues.test_maxsize
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>(maxSize: 2);
            var havePut = new List<int>();
            var t = Aio.CreateTask(async () =>
            {
                for (int i = 0; i < 3; i++) { await q.PutAsync(i); havePut.Add(i); }
                return true;
            });
            for (int i = 0; i < 2; i++) await Aio.Sleep(0);
            Assert.Equal([0, 1], havePut);
            Assert.Equal(0, await q.GetAsync());
            await Aio.Sleep(0);
            Assert.Equal([0, 1, 2], havePut);
            Assert.Equal(1, await q.GetAsync());
            Assert.Equal(2, await q.GetAsync());
            Assert.True(t.IsDone);
            Assert.True(t.Result);
        });
    }

    [Fact]
    public async Task PutNoWait_OnFullQueue_ThrowsQueueFull_AndGetNoWait_OnEmpty_ThrowsQueueEmpty()   // asyncio Q1, test_nonblocking_*_exception
    {
        await RunAsync(() =>
        {
            var q = new AioQueue<int>(maxSize: 1);
            Assert.Throws<QueueEmptyException>(() => q.GetNoWait());
            q.PutNoWait(1);
            var full = Assert.Throws<QueueFullException>(() => q.PutNoWait(2));
            Assert.Contains("AioQueue #", full.Message);
            Assert.False(q.TryPut(2));
            Assert.True(q.TryGet(out var got));
            Assert.Equal(1, got);
            Assert.False(q.TryGet(out _));
            Assert.True(q.TryPut(3));
            Assert.Equal(3, q.GetNoWait());
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Get_WaitingGetter_GetsItemPutLater()   // test_queues.test_blocking_get_wait, test_put_with_waiting_getters
    {
        var (res, time) = await RunAsync(async () =>
        {
            var q = new AioQueue<int>();
            var loop = Aio.GetRunningLoop();
            double t0 = loop.Time();
            var getter = Aio.CreateTask(async () => await q.GetAsync());
            await Aio.Sleep(0);
            Assert.False(getter.IsDone);
            loop.CallLater(0.01, () => q.PutNoWait(1));
            return (await getter, loop.Time() - t0);
        });
        Assert.Equal(1, res);
        Assert.Equal(0.01, time, 6);
    }

    [Fact]
    public async Task Put_BlockedPutter_ResumesWhenGetNoWaitFreesASlot()   // test_queues.test_blocking_put_wait
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>(maxSize: 1);
            bool finished = false;
            Aio.GetRunningLoop().CallLater(0.01, () => q.GetNoWait());
            var putter = Aio.CreateTask(async () => { await q.PutAsync(1); await q.PutAsync(2); finished = true; });
            await Aio.Sleep(0);
            Assert.False(finished);
            await putter;
            Assert.True(finished);
            Assert.Equal(2, q.GetNoWait());
        });
    }

    [Fact]
    public async Task Getters_AreServedFifo()   // asyncio Q4
    {
        var got = await RunAsync(async () =>
        {
            var q = new AioQueue<int>();
            var getters = Enumerable.Range(0, 5).Select(_ => Aio.CreateTask(async () => await q.GetAsync())).ToList();
            await Aio.Sleep(0);
            for (int i = 0; i < 5; i++) q.PutNoWait(i);
            var results = new List<int>();
            foreach (var g in getters) results.Add(await g);
            return results;
        });
        Assert.Equal([0, 1, 2, 3, 4], got);
    }

    [Fact]
    public async Task Putters_AreServedFifo()   // asyncio Q4, test_queues.test_get_with_waiting_putters
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<string>(maxSize: 1);
            _ = Aio.CreateTask(() => q.PutAsync("a"));
            _ = Aio.CreateTask(() => q.PutAsync("b"));
            _ = Aio.CreateTask(() => q.PutAsync("c"));
            Assert.Equal("a", await q.GetAsync());
            Assert.Equal("b", await q.GetAsync());
            Assert.Equal("c", await q.GetAsync());
        });
    }

    [Fact]
    public async Task Get_CancelledGetter_DoesNotTakeTheNextItem()   // test_queues.test_get_cancelled_race
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<string>();
            var t1 = Aio.CreateTask(async () => await q.GetAsync());
            var t2 = Aio.CreateTask(async () => await q.GetAsync());
            await Aio.Sleep(0);
            t1.Cancel();
            await Aio.Sleep(0);
            Assert.True(t1.IsDone);
            await q.PutAsync("a");
            await Aio.Sleep(0);
            Assert.Equal("a", await t2);
        });
    }

    [Fact]
    public async Task Get_ProducerConsumerThroughSizeOneQueue_Completes()   // test_queues.test_why_are_getters_waiting
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>(1);
            var consumer = Aio.CreateTask(async () => { for (int i = 0; i < 5; i++) await q.GetAsync(); });
            var producer = Aio.CreateTask(async () => { for (int i = 0; i < 5; i++) await q.PutAsync(i); });
            await producer;
            await consumer;
            Assert.True(q.IsEmpty);
        });
    }

    [Fact]
    public async Task Put_ManyPuttersDrainedByGetNoWait_AllComplete()   // test_queues.test_why_are_putters_waiting
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>(2);
            var getter = Aio.CreateTask(async () =>
            {
                await Aio.Sleep(0);
                int n = q.Count;
                for (int i = 0; i < n; i++) q.GetNoWait();
            });
            var putters = Enumerable.Range(0, 4).Select(i => Aio.CreateTask(() => q.PutAsync(i))).ToList();
            await getter;
            foreach (var p in putters) await p;
            Assert.Equal([2, 3], new[] { q.GetNoWait(), q.GetNoWait() });
        });
    }

    [Fact]
    public async Task Get_CancelledWhileWaiting_IsRemovedFromGetters()   // asyncio Q6, test_cancelled_getters_not_being_held_in_self_getters
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>(maxSize: 5);
            var getter = Aio.CreateTask(async () => await q.GetAsync());
            await Aio.Sleep(0.1);
            Assert.Equal(1, q.GetterCount);
            getter.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await getter);
            Assert.Equal(0, q.GetterCount);
        });
    }

    [Fact]
    public async Task Put_CancelledWhileWaiting_IsRemovedFromPutters()   // asyncio Q6, test_cancelled_puts_not_being_held_in_self_putters
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>(maxSize: 1);
            q.PutNoWait(1);
            var put = Aio.CreateTask(() => q.PutAsync(1));
            await Aio.Sleep(0);
            Assert.Equal(1, q.PutterCount);
            put.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await put);
            Assert.Equal(0, q.PutterCount);
            Assert.Equal(1, q.Count);
        });
    }

    [Fact]
    public async Task Get_WokenReaderCancelled_ItemGoesBackToTheHead()   // asyncio Q5, pitfall 1, test_get_cancel_drop_one_pending_reader
    {
        int result = await RunAsync(async () =>
        {
            var q = new AioQueue<int>();
            var reader = Aio.CreateTask(async () => await q.GetAsync());
            await Aio.Sleep(0);
            q.PutNoWait(1);   // handed to the waiting reader in this tick
            q.PutNoWait(2);
            reader.Cancel();
            try { return await reader; }
            catch (CancelledException)
            {
                reader = Aio.CreateTask(async () => await q.GetAsync());
                return await reader;
            }
        });
        Assert.Equal(1, result);   // 2 would mean 1 was dropped
    }

    [Fact]
    public async Task Get_WokenReaderCancelled_ItemPassesToTheNextReader()   // asyncio Q5, test_get_cancel_drop_many_pending_readers
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>();
            var r1 = Aio.CreateTask(async () => await q.GetAsync());
            var r2 = Aio.CreateTask(async () => await q.GetAsync());
            var r3 = Aio.CreateTask(async () => await q.GetAsync());
            await Aio.Sleep(0);
            q.PutNoWait(1);
            q.PutNoWait(2);
            r1.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await r1);
            var got = new HashSet<int> { await r2, await r3 };
            Assert.Equal(new HashSet<int> { 1, 2 }, got);
            Assert.True(q.IsEmpty);
        });
    }

    [Fact]
    public async Task Get_TokenCancelledWhileWaiting_LeavesGettersAndLosesNoItem()   // asyncio Q6, with a CancellationToken
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>();
            using var cts = new CancellationTokenSource();
            var reader = Aio.CreateTask(async () => await q.GetAsync(cts.Token));
            await Aio.Sleep(0);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader);
            Assert.Equal(0, q.GetterCount);
            q.PutNoWait(7);
            Assert.Equal(7, await q.GetAsync());
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await q.GetAsync(cts.Token));
        });
    }

    [Fact]
    public async Task Put_WokenPutterCancelled_AddsNothing()   // asyncio Q6, test_queues.test_put_cancel_drop
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>(1);
            q.PutNoWait(1);
            var writer = Aio.CreateTask(() => q.PutAsync(2));
            await Aio.Sleep(0);
            Assert.Equal(1, q.GetNoWait());   // wakes the writer
            writer.Cancel();
            try { await writer; }
            catch (CancelledException)
            {
                writer = Aio.CreateTask(() => q.PutAsync(2));
                await writer;
            }
            Assert.Equal(2, q.GetNoWait());
            Assert.Equal(0, q.Count);
        });
    }

    [Fact]
    public async Task Put_QueuedPutterCancelled_IsSkipped()   // test_queues.test_put_cancelled_race
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<string>(maxSize: 1);
            var putA = Aio.CreateTask(() => q.PutAsync("a"));
            var putB = Aio.CreateTask(() => q.PutAsync("b"));
            var putC = Aio.CreateTask(() => q.PutAsync("X"));
            await Aio.Sleep(0);
            Assert.True(putA.IsDone);
            Assert.False(putB.IsDone);
            putC.Cancel();
            await Aio.Sleep(0);
            Assert.True(putC.IsDone);
            Assert.Equal("a", q.GetNoWait());
            await Aio.Sleep(0);
            Assert.Equal("b", q.GetNoWait());
            await putB;
            Assert.True(q.IsEmpty);
        });
    }

    [Fact]
    public async Task Put_WokenPutterCancelled_ThrowsCancelled()   // test_queues.test_cancelled_put_silence_value_error_exception
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>(1);
            q.PutNoWait(1);
            var put = Aio.CreateTask(() => q.PutAsync(1));
            await Aio.Sleep(0);
            q.GetNoWait();
            put.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await put);
            Assert.True(q.IsEmpty);
            Assert.True(q.TryPut(5));   // the slot reserved for the cancelled putter was released
        });
    }

    [Fact]
    public async Task TaskDone_MoreThanItems_ThrowsInvalidOperation()   // asyncio Q8, test_queues.test_task_done_underflow
    {
        await RunAsync(() =>
        {
            var q = new AioQueue<int>();
            var e = Assert.Throws<InvalidOperationException>(() => q.TaskDone());
            Assert.Contains("more times than items", e.Message);
            q.PutNoWait(1);
            q.TaskDone();
            Assert.Throws<InvalidOperationException>(() => q.TaskDone());
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Join_ReturnsOnceEveryItemIsMarkedDone()   // asyncio Q8, test_queues.test_task_done
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>();
            for (int i = 0; i < 100; i++) q.PutNoWait(i);
            int accumulator = 0;
            bool running = true;
            var workers = Enumerable.Range(0, 2).Select(_ => Aio.CreateTask(async () =>
            {
                while (running)
                {
                    int item = await q.GetAsync();
                    accumulator += item;
                    q.TaskDone();
                }
            })).ToList();
            await q.JoinAsync();
            Assert.Equal(Enumerable.Range(0, 100).Sum(), accumulator);
            running = false;
            foreach (var _ in workers) q.PutNoWait(0);
            foreach (var w in workers) await w;
        });
    }

    [Fact]
    public async Task Join_OnEmptyQueue_CompletesAtOnce()   // test_queues.test_join_empty_queue
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>();
            Assert.True(q.JoinAsync().IsCompletedSuccessfully);
            await q.JoinAsync();
        });
    }

    [Fact]
    public async Task Join_GetAloneDoesNotRelease_TaskDoneDoes()   // asyncio Q8
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>();
            q.PutNoWait(1);
            var join = Aio.CreateTask(() => q.JoinAsync());
            await q.GetAsync();
            await Aio.Sleep(0);
            Assert.False(join.IsDone);
            q.TaskDone();
            await Aio.Sleep(0);
            Assert.True(join.IsDone);
        });
    }

    [Fact]
    public async Task ToString_ShowsSizeWaitersAndTasks()   // test_queues.test_repr / test_format
    {
        await RunAsync(async () =>
        {
            var q = new AioQueue<int>();
            _ = Aio.CreateTask(async () => await q.GetAsync());
            await Aio.Sleep(0);
            Assert.Matches(@"^<AioQueue #\d+ maxsize=0 qsize=0 _getters\[1\]>$", q.ToString());
            q.PutNoWait(1);
            q.PutNoWait(2);
            Assert.Contains("qsize=1 _queue=[2]", q.ToString());
            Assert.Contains("tasks=2", q.ToString());
            q.Shutdown();
            Assert.EndsWith("shutdown>", q.ToString());
        });
    }

    [Fact]
    public async Task ManyItems_ThroughSmallQueue_ArriveInOrder()
    {
        var received = await RunAsync(async () =>
        {
            var q = new AioQueue<int>(maxSize: 3);
            var producer = Aio.CreateTask(async () => { for (int i = 0; i < 10_000; i++) await q.PutAsync(i); });
            var list = new List<int>();
            for (int i = 0; i < 10_000; i++) list.Add(await q.GetAsync());
            await producer;
            return list;
        });
        Assert.Equal(Enumerable.Range(0, 10_000), received);
    }
}
