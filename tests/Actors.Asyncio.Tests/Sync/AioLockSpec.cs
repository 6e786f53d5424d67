using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Sync;

public class AioLockSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    private static Task Tick() => Aio.Sleep(0);

    [Fact]   // asyncio L1: acquire on an unlocked lock does not suspend
    public async Task AcquireAsync_Unlocked_CompletesAtOnce_WithTheSameCachedTask()
    {
        await RunAsync(async () =>
        {
            var l = new AioLock();
            var first = l.AcquireAsync();
            Assert.True(first.IsCompletedSuccessfully);
            Assert.True(l.IsLocked);
            l.Release();
            Assert.False(l.IsLocked);
            var second = l.AcquireAsync();
            Assert.Same(first, second);
            (await second).Dispose();
            Assert.False(l.IsLocked);
        });
    }

    [Fact]   // asyncio L3, test_locks.LockTests.test_acquire
    public async Task Release_WithWaiters_WakesThemFifo_OnePerRelease()
    {
        await RunAsync(async () =>
        {
            var l = new AioLock();
            var result = new List<int>();
            await l.AcquireAsync();
            Func<int, Func<Task>> c = n => async () => { await l.AcquireAsync(); result.Add(n); };
            var t1 = Aio.CreateTask(c(1));
            var t2 = Aio.CreateTask(c(2));
            await Tick();
            Assert.Empty(result);
            l.Release();
            await Tick();
            Assert.Equal([1], result);
            await Tick();
            Assert.Equal([1], result);
            var t3 = Aio.CreateTask(c(3));
            await Tick();
            Assert.Equal([1], result);
            l.Release();
            await Tick();
            Assert.Equal([1, 2], result);
            l.Release();
            await Tick();
            Assert.Equal([1, 2, 3], result);
            Assert.True(t1.IsDone && t2.IsDone && t3.IsDone);
            Assert.True(l.IsLocked);
        });
    }

    [Fact]   // asyncio L2, test_locks.LockTests.test_release_not_acquired
    public async Task Release_Unlocked_ThrowsNamingTheLock()
    {
        await RunAsync(() =>
        {
            var l = new AioLock();
            var e = Assert.Throws<InvalidOperationException>(() => l.Release());
            Assert.Matches(@"^Cannot release <AioLock #\d+ \[unlocked\]>: it is not acquired\.$", e.Message);
            return Task.CompletedTask;
        });
    }

    [Fact]   // test_locks.LockTests.test_repr
    public async Task ToString_ShowsIdStateAndWaiters()
    {
        await RunAsync(async () =>
        {
            var l = new AioLock();
            Assert.Matches(@"^<AioLock #\d+ \[unlocked\]>$", l.ToString());
            await l.AcquireAsync();
            Assert.Matches(@"^<AioLock #\d+ \[locked\]>$", l.ToString());
            var a = Aio.CreateTask(async () => { await l.AcquireAsync(); });
            var b = Aio.CreateTask(async () => { await l.AcquireAsync(); });
            await Tick();
            Assert.Matches(@"^<AioLock #\d+ \[locked, waiters:2\]>$", l.ToString());
            a.Cancel(); b.Cancel();
            await Tick();
        });
    }

    [Fact]   // test_locks.LockTests.test_acquire_cancel
    public async Task AcquireAsync_TaskCancelledWhileWaiting_ThrowsCancelled_AndLeavesQueue()
    {
        await RunAsync(async () =>
        {
            var l = new AioLock();
            await l.AcquireAsync();
            var t = Aio.CreateTask(async () => { await l.AcquireAsync(); });
            await Tick();
            Assert.Equal(1, l.WaiterCount);
            t.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await t);
            Assert.Equal(0, l.WaiterCount);
            Assert.True(l.IsLocked);
            l.Release();
            Assert.False(l.IsLocked);
        });
    }

    [Fact]   // asyncio L5, test_locks.LockTests.test_cancel_race
    public async Task Release_WhenHeadWaiterCancelledAtTheSameTime_WakesTheNext()
    {
        await RunAsync(async () =>
        {
            var l = new AioLock();
            var fa = Loop.CreateFuture();
            Func<AioFuture?, Func<Task>> lockit = blocker => async () =>
            {
                await l.AcquireAsync();
                try { if (blocker != null) await blocker; }
                finally { l.Release(); }
            };
            var ta = Aio.CreateTask(lockit(fa));
            await Tick();
            Assert.True(l.IsLocked);
            var tb = Aio.CreateTask(lockit(null));
            await Tick();
            Assert.Equal(1, l.WaiterCount);
            var tc = Aio.CreateTask(lockit(null));
            await Tick();
            Assert.Equal(2, l.WaiterCount);
            fa.SetResult();
            tb.Cancel();
            await Tick();
            Assert.False(l.IsLocked);   // handed to C, which has not resumed yet (L4)
            Assert.True(ta.IsDone);
            Assert.True(tb.IsCancelled);
            await tc;
            Assert.False(l.IsLocked);
        });
    }

    [Fact]   // asyncio L5, test_locks.LockTests.test_cancel_release_race (bpo-32734)
    public async Task Release_AfterCancellingTheWokenWaiter_TakesOnlyOneLock()
    {
        await RunAsync(async () =>
        {
            var l = new AioLock();
            int lockCount = 0, callCount = 0;
            Func<Task> lockit = async () => { callCount++; await l.AcquireAsync(); lockCount++; };
            await l.AcquireAsync();
            AioTask t1 = null!;
            t1 = Aio.CreateTask(lockit);
            var t2 = Aio.CreateTask(lockit);
            var t3 = Aio.CreateTask(lockit);
            await Tick();
            Loop.CallSoon(() => { t1.Cancel(); l.Release(); });
            await Assert.ThrowsAsync<CancelledException>(async () => await t1);
            Assert.Equal(1, lockCount);
            Assert.Equal(3, callCount);
            Assert.True(t1.IsCancelled && t2.IsDone);
            t3.Cancel();
            await Tick();
            Assert.True(t3.IsCancelled);
        });
    }

    [Fact]   // asyncio L5, test_locks.LockTests.test_finished_waiter_cancelled
    public async Task Release_WithOnlyACancelledWaiter_LeavesItFreeForTheNextAcquirer()
    {
        await RunAsync(async () =>
        {
            var l = new AioLock();
            await l.AcquireAsync();
            var tb = Aio.CreateTask(async () => { await l.AcquireAsync(); });
            await Tick();
            Assert.Equal(1, l.WaiterCount);
            var tc = Aio.CreateTask(async () => { await l.AcquireAsync(); });
            tb.Cancel();
            l.Release();
            await Tick();
            Assert.True(l.IsLocked);
            Assert.True(tb.IsCancelled);
            await tc;
        });
    }

    [Fact]   // asyncio L5 / pitfall 2: woken, then cancelled before resuming -> the lock passes on
    public async Task AcquireAsync_WokenThenCancelledBeforeResuming_PassesTheLockOn()
    {
        await RunAsync(async () =>
        {
            var l = new AioLock();
            var got = new List<string>();
            await l.AcquireAsync();
            var tb = Aio.CreateTask(async () => { await l.AcquireAsync(); got.Add("b"); });
            var tc = Aio.CreateTask(async () => { await l.AcquireAsync(); got.Add("c"); });
            await Tick();
            l.Release();        // hands it to B ...
            tb.Cancel();        // ... which is cancelled before it resumes
            await Assert.ThrowsAsync<CancelledException>(async () => await tb);
            await tc;
            Assert.Equal(["c"], got);
            Assert.True(l.IsLocked);
            l.Release();
            Assert.False(l.IsLocked);
        });
    }

    [Fact]   // asyncio L4, pitfall 2: no barging past a woken waiter
    public async Task AcquireAsync_RightAfterReleaseToAWaiter_QueuesBehindIt()
    {
        await RunAsync(async () =>
        {
            var l = new AioLock();
            var order = new List<string>();
            await l.AcquireAsync();
            var tb = Aio.CreateTask(async () => { await l.AcquireAsync(); order.Add("b"); await Tick(); l.Release(); });
            await Tick();
            l.Release();
            Assert.False(l.IsLocked);          // asyncio: locked() is False until the woken waiter runs
            var mine = l.AcquireAsync();
            Assert.False(mine.IsCompleted);    // ... yet a new acquire queues behind it
            await mine;
            order.Add("main");
            Assert.Equal(["b", "main"], order);
            l.Release();
        });
    }

    [Fact]   // test_pep492.LockTests.test_context_manager_async_with
    public async Task Using_ReleasesOnException()
    {
        await RunAsync(async () =>
        {
            var l = new AioLock();
            await Assert.ThrowsAsync<InvalidTimeZoneException>(async () =>
            {
                using (await l.AcquireAsync())
                {
                    Assert.True(l.IsLocked);
                    throw new InvalidTimeZoneException();
                }
            });
            Assert.False(l.IsLocked);
        });
    }

    [Fact]
    public async Task AcquireAsync_TokenAlreadyCancelled_TakesAFreeLock_ButDoesNotWait()
    {
        await RunAsync(async () =>
        {
            var l = new AioLock();
            var cancelled = new CancellationToken(true);
            await l.AcquireAsync(cancelled);
            Assert.True(l.IsLocked);
            var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => l.AcquireAsync(cancelled));
            Assert.Equal(cancelled, e.CancellationToken);
            Assert.Equal(0, l.WaiterCount);
        });
    }

    [Fact]
    public async Task AcquireAsync_TokenCancelledWhileWaiting_ThrowsOperationCanceled_AndNextWaiterGetsTheLock()
    {
        await RunAsync(async () =>
        {
            var l = new AioLock();
            await l.AcquireAsync();
            using var cts = new CancellationTokenSource();
            var first = l.AcquireAsync(cts.Token);
            var t = Aio.CreateTask(async () => { await l.AcquireAsync(); });
            await Tick();
            Assert.Equal(2, l.WaiterCount);
            cts.Cancel();
            var e = await Assert.ThrowsAsync<OperationCanceledException>(() => first);
            Assert.IsNotType<CancelledException>(e);
            Assert.Equal(1, l.WaiterCount);
            l.Release();
            await t;
            Assert.True(l.IsLocked);
        });
    }

    [Fact]   // the home-loop design: a lock shared by tasks of two loops still excludes
    public async Task AcquireAsync_TasksOnTwoLoops_Exclude()
    {
        await using var second = AioEventLoop.Create(Sys, "second");
        var l = new AioLock();
        int inside = 0, maxInside = 0, done = 0;
        Func<Task> worker = async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                using (await l.AcquireAsync())
                {
                    int n = Interlocked.Increment(ref inside);
                    maxInside = Math.Max(maxInside, n);
                    await Aio.Sleep(0);
                    if (i % 7 == 0) await Task.Yield();
                    Interlocked.Decrement(ref inside);
                    done++;
                }
            }
        };
        await RunAsync(async () =>
        {
            using (await l.AcquireAsync()) { }   // binds the lock to the test loop
            var remote = Enumerable.Range(0, 3).Select(_ => second.RunAsync(worker)).ToArray();
            var local = Enumerable.Range(0, 3).Select(_ => Aio.CreateTask(worker)).ToArray();
            foreach (var t in local) await t;
            await Task.WhenAll(remote);
        });
        Assert.Equal(1, maxInside);
        Assert.Equal(1200, done);
        Assert.False(l.IsLocked);
    }

    [Fact]   // a remote waiter cancelled after being woken passes the lock on too
    public async Task AcquireAsync_RemoteWaiterCancelled_NeverLeavesTheLockHeld()
    {
        await using var second = AioEventLoop.Create(Sys, "second");
        var l = new AioLock();
        await RunAsync(async () =>
        {
            await l.AcquireAsync();
            var remoteTask = second.RunAsync(async () => { await l.AcquireAsync(); });
            while (l.WaiterCount == 0) await Task.Delay(1);
            await second.RunAsync(() =>
            {
                foreach (var t in second.AllTasks()) if (t != Aio.CurrentTask()) t.Cancel();
                return Task.CompletedTask;
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => remoteTask);
            while (l.WaiterCount != 0) await Task.Delay(1);
            l.Release();
            Assert.False(l.IsLocked);
            Assert.True(l.AcquireAsync().IsCompletedSuccessfully);
            l.Release();
        });
    }

    [Fact]
    public async Task Release_FromAnotherLoop_WhenUnlocked_ThrowsThere()
    {
        await using var second = AioEventLoop.Create(Sys, "second");
        var l = new AioLock();
        await RunAsync(async () => { using (await l.AcquireAsync()) { } });
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.RunAsync(() => { l.Release(); return Task.CompletedTask; }));
    }

    [Fact]   // the documented fallback: with no loop ever, what does not wait still works; waiting needs a loop
    public async Task PlainThreads_UnboundLock_AcquireReleaseWork_WaitingThrows()
    {
        var l = new AioLock();
        await Task.Run(async () =>
        {
            using (await l.AcquireAsync()) Assert.True(l.IsLocked);
            await l.AcquireAsync();
            var e = Assert.Throws<InvalidOperationException>(() => { _ = l.AcquireAsync(); });
            Assert.Contains("no event loop", e.Message);
            l.Release();
        });
        Assert.False(l.IsLocked);
        Assert.Throws<InvalidOperationException>(() => l.Release());
    }

    [Fact]   // once bound, plain threads wait through the home loop
    public async Task PlainThread_BoundLock_WaitsAndIsWoken()
    {
        var l = new AioLock();
        await RunAsync(async () => { await l.AcquireAsync(); });
        var plain = Task.Run(async () => { using (await l.AcquireAsync()) return Environment.CurrentManagedThreadId; });
        while (l.WaiterCount == 0) await Task.Delay(1);
        Assert.False(plain.IsCompleted);
        l.Release();   // from the test thread: sent to the home loop
        await plain;
        Assert.True(SpinWait.SpinUntil(() => !l.IsLocked, 5000));   // its release travels to the home loop
    }
}
