using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Sync;

public class AioSemaphoreSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    private static Task Tick() => Aio.Sleep(0);

    [Fact]   // asyncio S1, test_locks.SemaphoreTests.test_initial_value_zero / ValueError
    public void Constructor_NegativeValue_ThrowsArgumentOutOfRange()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AioSemaphore(-1));
        Assert.Contains("[-1] must be >= 0", e.Message);
        Assert.True(new AioSemaphore(0).IsLocked);
    }

    [Fact]   // test_locks.SemaphoreTests.test_semaphore, test_repr
    public async Task AcquireAsync_TakesPermits_ReleaseGivesThemBack_AboveTheInitialValueToo()
    {
        await RunAsync(async () =>
        {
            var sem = new AioSemaphore();
            Assert.Equal(1, sem.Value);
            Assert.Matches(@"^<AioSemaphore #\d+ \[unlocked, value:1\]>$", sem.ToString());
            var first = sem.AcquireAsync();
            Assert.True(first.IsCompletedSuccessfully);
            Assert.True(sem.IsLocked);
            Assert.Equal(0, sem.Value);
            Assert.Matches(@"^<AioSemaphore #\d+ \[locked\]>$", sem.ToString());
            sem.Release();
            Assert.Same(first, sem.AcquireAsync());   // the uncontended path allocates nothing
            sem.Release();
            sem.Release();
            Assert.Equal(2, sem.Value);
            await Task.CompletedTask;
        });
    }

    [Fact]   // asyncio S2, test_locks.SemaphoreTests.test_acquire
    public async Task AcquireAsync_WhenExhausted_WaitersGetPermitsFifo()
    {
        await RunAsync(async () =>
        {
            var sem = new AioSemaphore(3);
            var result = new List<int>();
            await sem.AcquireAsync();
            await sem.AcquireAsync();
            Assert.False(sem.IsLocked);
            Func<int, Func<Task>> c = n => async () => { await sem.AcquireAsync(); result.Add(n); };
            var t1 = Aio.CreateTask(c(1));
            var t2 = Aio.CreateTask(c(2));
            var t3 = Aio.CreateTask(c(3));
            await Tick();
            Assert.Equal([1], result);
            Assert.True(sem.IsLocked);
            Assert.Equal(2, sem.WaiterCount);
            var t4 = Aio.CreateTask(c(4));
            sem.Release();
            sem.Release();
            await Tick();
            await Tick();
            Assert.Equal([1, 2, 3], result);
            Assert.True(sem.IsLocked);
            Assert.False(t4.IsDone);
            sem.Release();
            await t4;
            Assert.Equal([1, 2, 3, 4], result);
            Assert.True(t1.IsDone && t2.IsDone && t3.IsDone);
        });
    }

    [Fact]   // test_locks.SemaphoreTests.test_acquire_cancel
    public async Task AcquireAsync_Cancelled_TakesNoPermit()
    {
        await RunAsync(async () =>
        {
            var sem = new AioSemaphore(0);
            var t = Aio.CreateTask(async () => { await sem.AcquireAsync(); });
            await Tick();
            t.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await t);
            Assert.Equal(0, sem.WaiterCount);
            sem.Release();
            Assert.Equal(1, sem.Value);
            Assert.False(sem.IsLocked);
        });
    }

    [Fact]   // asyncio S4, test_locks.SemaphoreTests.test_acquire_cancel_before_awoken
    public async Task Release_AfterTwoWaitersCancelled_WakesExactlyTheThird()
    {
        await RunAsync(async () =>
        {
            var sem = new AioSemaphore(0);
            var t = Enumerable.Range(0, 4).Select(_ => Aio.CreateTask(async () => { await sem.AcquireAsync(); })).ToArray();
            await Tick();
            t[0].Cancel();
            t[1].Cancel();
            sem.Release();
            await Tick();
            await Tick();
            Assert.True(t[2].IsDone);
            Assert.False(t[3].IsDone);
            t[3].Cancel();
            await Tick();
        });
    }

    [Fact]   // asyncio S4, pitfall 2: a permit handed to a waiter cancelled before resuming goes to the next
    public async Task AcquireAsync_WokenThenCancelled_ReturnsThePermitToTheNextWaiter()
    {
        await RunAsync(async () =>
        {
            var sem = new AioSemaphore(0);
            var a = Aio.CreateTask(async () => { await sem.AcquireAsync(); });
            var b = Aio.CreateTask(async () => { await sem.AcquireAsync(); });
            await Tick();
            sem.Release();   // hands the permit to A ...
            a.Cancel();      // ... cancelled before it resumes
            await Assert.ThrowsAsync<CancelledException>(async () => await a);
            await b;
            Assert.Equal(0, sem.Value);
            Assert.Equal(0, sem.WaiterCount);
        });
    }

    [Fact]   // test_locks.SemaphoreTests.test_acquire_hang
    public async Task Release_AfterCancellingTheHead_DoesNotHangTheNext()
    {
        await RunAsync(async () =>
        {
            var sem = new AioSemaphore(0);
            var t1 = Aio.CreateTask(async () => { await sem.AcquireAsync(); });
            var t2 = Aio.CreateTask(async () => { await sem.AcquireAsync(); });
            await Tick();
            t1.Cancel();
            sem.Release();
            await Tick();
            await Tick();
            Assert.True(sem.IsLocked);
            Assert.True(t2.IsDone);
        });
    }

    [Fact]   // test_locks.SemaphoreTests.test_acquire_no_hang
    public async Task Using_HolderCancelsAWaiter_SemaphoreStaysUsable()
    {
        await RunAsync(async () =>
        {
            var sem = new AioSemaphore(1);
            AioTask t2 = null!;
            var t1 = Aio.CreateTask(async () => { using (await sem.AcquireAsync()) { await Tick(); t2.Cancel(); } });
            t2 = Aio.CreateTask(async () => { using (await sem.AcquireAsync()) Assert.Fail("must not get the permit"); });
            await t1;
            await Assert.ThrowsAsync<CancelledException>(async () => await t2);
            var again = sem.AcquireAsync();
            Assert.True(again.IsCompletedSuccessfully);
        });
    }

    [Fact]   // asyncio S3, test_locks.SemaphoreTests.test_acquire_fifo_order_2
    public async Task AcquireAsync_WhileWokenWaitersHaveNotRun_QueuesBehindThem()
    {
        var result = await RunAsync(async () =>
        {
            var sem = new AioSemaphore(1);
            var result = new List<int>();
            var t1 = Aio.CreateTask(async () => { await sem.AcquireAsync(); result.Add(1); });
            var t2 = Aio.CreateTask(async () =>
            {
                await sem.AcquireAsync(); result.Add(2);
                sem.Release();
                await sem.AcquireAsync(); result.Add(4);
            });
            var t3 = Aio.CreateTask(async () => { await sem.AcquireAsync(); result.Add(3); });
            await Tick();
            sem.Release();
            sem.Release();
            await t1; await t2; await t3;
            return result;
        });
        Assert.Equal([1, 2, 3, 4], result);
    }

    [Fact]   // test_locks.SemaphoreTests.test_acquire_fifo_order_3
    public async Task AcquireAsync_CancelledHead_PermitsGoToTheOthersInOrder()
    {
        var result = await RunAsync(async () =>
        {
            var sem = new AioSemaphore(0);
            var result = new List<int>();
            Func<int, Func<Task>> c = n => async () => { await sem.AcquireAsync(); result.Add(n); };
            var t1 = Aio.CreateTask(c(1));
            var t2 = Aio.CreateTask(c(2));
            var t3 = Aio.CreateTask(c(3));
            await Tick();
            t1.Cancel();
            await Tick();
            sem.Release();
            sem.Release();
            await t2; await t3;
            return result;
        });
        Assert.Equal([2, 3], result);
    }

    [Fact]   // asyncio S5 (3.13), test_locks.SemaphoreTests.test_acquire_fifo_order_4
    public async Task AcquireAsync_AfterReleasingSeveralTimes_StillQueuesBehindEarlierWaiters()
    {
        var result = await RunAsync(async () =>
        {
            var sem = new AioSemaphore(0);
            var result = new List<int>();
            var t1 = Aio.CreateTask(async () => { await sem.AcquireAsync(); result.Add(1); });
            var t2 = Aio.CreateTask(async () => { await sem.AcquireAsync(); result.Add(2); });
            var t3 = Aio.CreateTask(async () => { await sem.AcquireAsync(); result.Add(3); });
            await Tick();
            var t4 = Aio.CreateTask(async () =>
            {
                sem.Release(); sem.Release(); sem.Release();
                await sem.AcquireAsync(); result.Add(4);
            });
            await Tick();
            sem.Release();
            await t1; await t2; await t3; await t4;
            return result;
        });
        Assert.Equal([1, 2, 3, 4], result);
    }

    [Fact]
    public async Task AcquireAsync_TokenCancelledWhileWaiting_ThrowsOperationCanceled_TakesNoPermit()
    {
        await RunAsync(async () =>
        {
            var sem = new AioSemaphore(0);
            using var cts = new CancellationTokenSource();
            var w = sem.AcquireAsync(cts.Token);
            cts.Cancel();
            await Assert.ThrowsAsync<OperationCanceledException>(() => w);
            sem.Release();
            Assert.Equal(1, sem.Value);
            (await sem.AcquireAsync(cts.Token)).Dispose();   // a free permit is taken whatever the token says
            Assert.Equal(1, sem.Value);
        });
    }

    [Fact]   // home loop: permits shared by tasks of two loops never exceed the count
    public async Task AcquireAsync_TasksOnTwoLoops_NeverExceedThePermits()
    {
        await using var second = AioEventLoop.Create(Sys, "second");
        var sem = new AioSemaphore(2);
        int inside = 0, maxInside = 0;
        Func<Task> worker = async () =>
        {
            for (int i = 0; i < 100; i++)
            {
                using (await sem.AcquireAsync())
                {
                    int n = Interlocked.Increment(ref inside);
                    lock (sem) maxInside = Math.Max(maxInside, n);
                    await Aio.Sleep(0);
                    Interlocked.Decrement(ref inside);
                }
            }
        };
        await RunAsync(async () =>
        {
            using (await sem.AcquireAsync()) { }
            var remote = Enumerable.Range(0, 3).Select(_ => second.RunAsync(worker)).ToArray();
            var local = Enumerable.Range(0, 3).Select(_ => Aio.CreateTask(worker)).ToArray();
            foreach (var t in local) await t;
            await Task.WhenAll(remote);
        });
        Assert.Equal(2, maxInside);
        Assert.True(SpinWait.SpinUntil(() => sem.Value == 2, 5000));
    }
}
