using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Sync;

public class AioConditionSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    private static Task Tick() => Aio.Sleep(0);

    [Fact]   // asyncio C2, test_locks.ConditionTests.test_wait
    public async Task WaitAsync_Notified_ResumesOnlyAfterReacquiringTheLock()
    {
        await RunAsync(async () =>
        {
            var cond = new AioCondition();
            var result = new List<int>();
            Func<int, Func<Task>> c = n => async () => { await cond.AcquireAsync(); await cond.WaitAsync(); result.Add(n); };
            var t1 = Aio.CreateTask(c(1));
            var t2 = Aio.CreateTask(c(2));
            var t3 = Aio.CreateTask(c(3));
            await Tick();
            Assert.Empty(result);
            Assert.False(cond.IsLocked);

            await cond.AcquireAsync();
            cond.Notify();
            await Tick();
            Assert.Empty(result);
            Assert.True(cond.IsLocked);

            cond.Release();
            await Tick();
            Assert.Equal([1], result);
            Assert.True(cond.IsLocked);

            cond.Notify(2);
            await Tick();
            Assert.Equal([1], result);
            Assert.True(cond.IsLocked);

            cond.Release();
            await Tick();
            Assert.Equal([1, 2], result);
            Assert.True(cond.IsLocked);

            cond.Release();
            await Tick();
            Assert.Equal([1, 2, 3], result);
            Assert.True(cond.IsLocked);
            Assert.True(t1.IsDone && t2.IsDone && t3.IsDone);
        });
    }

    [Fact]   // asyncio C4, test_locks.ConditionTests.test_wait_cancel
    public async Task WaitAsync_Cancelled_ReacquiresTheLockBeforeThrowing()
    {
        await RunAsync(async () =>
        {
            var cond = new AioCondition();
            bool heldInCatch = false;
            var t = Aio.CreateTask(async () =>
            {
                await cond.AcquireAsync();
                try { await cond.WaitAsync(); }
                catch (CancelledException) { heldInCatch = cond.IsLocked; throw; }
                finally { cond.Release(); }
            });
            await Tick();
            Assert.Equal(1, cond.WaiterCount);
            t.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await t);
            Assert.True(heldInCatch);
            Assert.Equal(0, cond.WaiterCount);
            Assert.False(cond.IsLocked);
        });
    }

    [Fact]   // asyncio C4, test_locks.ConditionTests.test_wait_cancel_contested
    public async Task WaitAsync_CancelledWhileTheLockIsContested_StillEndsHoldingIt()
    {
        await RunAsync(async () =>
        {
            var cond = new AioCondition();
            await cond.AcquireAsync();
            Assert.True(cond.IsLocked);
            var waitTask = Aio.CreateTask(() => cond.WaitAsync());
            await Tick();
            Assert.False(cond.IsLocked);
            await cond.AcquireAsync();
            Assert.True(cond.IsLocked);
            cond.Notify();
            Loop.CallSoon(() => waitTask.Cancel());
            Loop.CallSoon(() => cond.Release());
            try { await waitTask; } catch (CancelledException) { }
            Assert.True(cond.IsLocked);
        });
    }

    [Fact]   // asyncio C4, test_locks.ConditionTests.test_wait_cancel_after_notify
    public async Task WaitAsync_CancelledAfterNotify_IsCancelled()
    {
        await RunAsync(async () =>
        {
            var cond = new AioCondition();
            bool waited = false;
            var waiter = Aio.CreateTask(async () =>
            {
                using (await cond.AcquireAsync()) { waited = true; await cond.WaitAsync(); }
            });
            await Tick();
            await cond.AcquireAsync();
            cond.Notify();
            await Tick();
            waiter.Cancel();
            await Tick();
            cond.Release();
            await Tick();
            Assert.True(waiter.IsCancelled);
            Assert.True(waited);
        });
    }

    [Fact]   // asyncio C3, test_locks.ConditionTests.test_wait_for
    public async Task WaitForAsync_WaitsUntilThePredicateHolds()
    {
        await RunAsync(async () =>
        {
            var cond = new AioCondition();
            int presult = 0;
            var result = new List<int>();
            var t = Aio.CreateTask(async () =>
            {
                await cond.AcquireAsync();
                if (await cond.WaitForAsync(() => presult != 0)) { result.Add(1); cond.Release(); }
            });
            await Tick();
            Assert.Empty(result);
            await cond.AcquireAsync();
            cond.Notify();
            cond.Release();
            await Tick();
            Assert.Empty(result);
            presult = 1;
            await cond.AcquireAsync();
            cond.Notify();
            cond.Release();
            await Tick();
            Assert.Equal([1], result);
            await t;
        });
    }

    [Fact]   // test_locks.ConditionTests.test_notify, test_notify_all
    public async Task Notify_WakesUpToN_NotifyAll_WakesTheRest()
    {
        await RunAsync(async () =>
        {
            var cond = new AioCondition();
            var result = new List<int>();
            Func<int, Func<Task>> c = n => async () => { await cond.AcquireAsync(); await cond.WaitAsync(); result.Add(n); cond.Release(); };
            var tasks = new[] { Aio.CreateTask(c(1)), Aio.CreateTask(c(2)), Aio.CreateTask(c(3)), Aio.CreateTask(c(4)) };
            await Tick();
            await cond.AcquireAsync();
            cond.Notify(1);
            cond.Release();
            await Tick();
            Assert.Equal([1], result);
            await cond.AcquireAsync();
            cond.Notify(2);
            cond.Notify(2048);   // only one is left waiting... no: two are; 2048 wakes them all
            cond.Release();
            await Tick(); await Tick(); await Tick();
            Assert.Equal([1, 2, 3, 4], result);
            foreach (var t in tasks) await t;
            await cond.AcquireAsync();
            cond.NotifyAll();   // nobody waits: no effect
            cond.Release();
        });
    }

    [Fact]   // asyncio C1, test_locks.ConditionTests.test_wait_unacquired, test_notify_unacquired, test_notify_all_unacquired
    public async Task WaitNotify_WithoutTheLock_ThrowInvalidOperation()
    {
        await RunAsync(async () =>
        {
            var cond = new AioCondition();
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => cond.WaitAsync());
            Assert.Matches(@"^Cannot wait on <AioCondition #\d+ \[unlocked\]>: its lock is not acquired", e.Message);
            Assert.Throws<InvalidOperationException>(() => cond.Notify());
            Assert.Throws<InvalidOperationException>(() => cond.NotifyAll());
        });
    }

    [Fact]   // test_locks.ConditionTests.test_explicit_lock
    public async Task Constructor_WithALock_SharesIt()
    {
        await RunAsync(async () =>
        {
            var l = new AioLock();
            var cond = new AioCondition(l);
            Assert.Same(l, cond.Lock);
            await l.AcquireAsync();
            Assert.True(cond.IsLocked);
            cond.Release();
            Assert.False(l.IsLocked);
        });
    }

    [Fact]   // asyncio C5 (3.13), test_locks.ConditionTests.test_cancelled_wakeup
    public async Task Notify_OfAWaiterCancelledBeforeResuming_PassesToAnother()
    {
        await RunAsync(async () =>
        {
            var cond = new AioCondition();
            int state = 0;
            Func<Task> consumer = async () =>
            {
                using (await cond.AcquireAsync())
                {
                    while (true)
                    {
                        await cond.WaitForAsync(() => state != 0);
                        if (state < 0) return;
                        state--;
                    }
                }
            };
            var c = new[] { Aio.CreateTask(consumer), Aio.CreateTask(consumer) };
            await Aio.Sleep(0.1);
            using (await cond.AcquireAsync())
            {
                state++;
                cond.Notify(1);
                c[0].Cancel();
                // asyncio uses timeout(0.01): a notification lost to the cancel would leave state at 1.
                var me = Aio.CurrentTask()!;
                var timer = Loop.CallLater(0.01, () => me.Cancel());
                try { await cond.WaitForAsync(() => state == 0); timer.Cancel(); }
                catch (CancelledException) { me.Uncancel(); }
                Assert.Equal(0, state);
                state = -1;
                cond.NotifyAll();
            }
            await c[1];
            Assert.True(c[0].IsCancelled);
        });
    }

    [Fact]   // the token variant: cancelled while waiting -> OperationCanceledException after re-acquiring the lock
    public async Task WaitAsync_TokenCancelled_ThrowsOperationCanceledHoldingTheLock()
    {
        await RunAsync(async () =>
        {
            var cond = new AioCondition();
            using var cts = new CancellationTokenSource();
            await cond.AcquireAsync();
            var w = cond.WaitAsync(cts.Token);
            Assert.False(cond.IsLocked);
            cts.Cancel();
            await Assert.ThrowsAsync<OperationCanceledException>(() => w);
            Assert.True(cond.IsLocked);
            Assert.Equal(0, cond.WaiterCount);
            cond.Release();
        });
    }

    [Fact]   // home loop: a waiter on another loop is notified by a task of the home loop
    public async Task Notify_FromTheHomeLoop_WakesAWaiterOnAnotherLoop()
    {
        await using var second = AioEventLoop.Create(Sys, "second");
        var cond = new AioCondition();
        bool ready = false;
        await RunAsync(async () =>
        {
            using (await cond.AcquireAsync()) { }   // binds to the test loop
            var remote = second.RunAsync(async () =>
            {
                using (await cond.AcquireAsync()) return await cond.WaitForAsync(() => ready);
            });
            while (cond.WaiterCount == 0) await Task.Delay(1);
            using (await cond.AcquireAsync())
            {
                ready = true;
                cond.NotifyAll();
            }
            Assert.True(await remote);
        });
        Assert.True(SpinWait.SpinUntil(() => !cond.IsLocked, 5000));
    }

    [Fact]
    public async Task ToString_ShowsLockStateAndWaiters()
    {
        await RunAsync(async () =>
        {
            var cond = new AioCondition();
            Assert.Matches(@"^<AioCondition #\d+ \[unlocked\]>$", cond.ToString());
            var t = Aio.CreateTask(async () => { using (await cond.AcquireAsync()) await cond.WaitAsync(); });
            await Tick();
            Assert.Matches(@"^<AioCondition #\d+ \[unlocked, waiters:1\]>$", cond.ToString());
            t.Cancel();
            await Tick(); await Tick();
        });
    }
}
