using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Sync;

public class AioEventSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    private static Task Tick() => Aio.Sleep(0);

    [Fact]   // asyncio E1, E3, test_locks.EventTests.test_wait: [3, 1, 2]
    public async Task Set_WakesAllWaitersFifo_AfterCallbacksAlreadyQueued()
    {
        var result = await RunAsync(async () =>
        {
            var ev = new AioEvent();
            var result = new List<int>();
            Func<int, Func<Task>> c = n => async () => { await ev.WaitAsync(); result.Add(n); };
            var t1 = Aio.CreateTask(c(1));
            var t2 = Aio.CreateTask(c(2));
            await Tick();
            Assert.Empty(result);
            var t3 = Aio.CreateTask(c(3));
            ev.Set();
            await Tick();
            Assert.True(t1.IsDone && t2.IsDone && t3.IsDone);
            return result;
        });
        Assert.Equal([3, 1, 2], result);
    }

    [Fact]   // asyncio E1, test_locks.EventTests.test_wait_on_set
    public async Task WaitAsync_OnSetEvent_CompletesAtOnce()
    {
        await RunAsync(async () =>
        {
            var ev = new AioEvent();
            ev.Set();
            var w = ev.WaitAsync();
            Assert.True(w.IsCompletedSuccessfully);
            await w;
            ev.Set();   // no effect
            Assert.True(ev.IsSet);
        });
    }

    [Fact]   // asyncio E4, test_locks.EventTests.test_wait_cancel
    public async Task WaitAsync_Cancelled_LeavesQueue_OthersUnaffected()
    {
        await RunAsync(async () =>
        {
            var ev = new AioEvent();
            var a = Aio.CreateTask(() => ev.WaitAsync());
            var b = Aio.CreateTask(() => ev.WaitAsync());
            await Tick();
            Assert.Equal(2, ev.WaiterCount);
            a.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await a);
            Assert.Equal(1, ev.WaiterCount);
            ev.Set();
            await b;
            Assert.Equal(0, ev.WaiterCount);
        });
    }

    [Fact]   // test_locks.EventTests.test_clear
    public async Task Clear_ResetsTheFlag()
    {
        await RunAsync(() =>
        {
            var ev = new AioEvent();
            Assert.False(ev.IsSet);
            ev.Set();
            Assert.True(ev.IsSet);
            ev.Clear();
            Assert.False(ev.IsSet);
            Assert.False(ev.WaitAsync().IsCompleted);
            return Task.CompletedTask;
        });
    }

    [Fact]   // asyncio E2, pitfall 13, test_locks.EventTests.test_clear_with_waiters
    public async Task SetThenClear_BeforeWaitersRun_StillWakesThemAll()
    {
        await RunAsync(async () =>
        {
            var ev = new AioEvent();
            var woken = new List<int>();
            var tasks = Enumerable.Range(0, 3).Select(i => Aio.CreateTask(async () => { await ev.WaitAsync(); woken.Add(i); })).ToList();
            await Tick();
            ev.Set();
            ev.Clear();
            Assert.False(ev.IsSet);
            foreach (var t in tasks) await t;
            Assert.Equal([0, 1, 2], woken);
            Assert.False(ev.IsSet);
            Assert.Equal(0, ev.WaiterCount);
        });
    }

    [Fact]
    public async Task WaitAsync_TokenCancelledWhileWaiting_ThrowsOperationCanceled_AndLeavesQueue()
    {
        await RunAsync(async () =>
        {
            var ev = new AioEvent();
            using var cts = new CancellationTokenSource();
            var w = ev.WaitAsync(cts.Token);
            Assert.Equal(1, ev.WaiterCount);
            cts.Cancel();
            var e = await Assert.ThrowsAsync<OperationCanceledException>(() => w);
            Assert.Equal(cts.Token, e.CancellationToken);
            Assert.Equal(0, ev.WaiterCount);
            ev.Set();
            await ev.WaitAsync(cts.Token);   // set: returns even with a cancelled token
        });
    }

    [Fact]   // asyncio T10: woken by set() but cancelled before resuming, the task gets CancelledError at the await
    public async Task WaitAsync_WokenThenCancelledBeforeResuming_ThrowsCancelled_OthersStillWoken()
    {
        await RunAsync(async () =>
        {
            var ev = new AioEvent();
            var a = Aio.CreateTask(() => ev.WaitAsync());
            var b = Aio.CreateTask(() => ev.WaitAsync());
            await Tick();
            ev.Set();
            Assert.Equal(0, ev.WaiterCount);
            a.Cancel("late");   // the wake-up is scheduled, not delivered yet
            var e = await Assert.ThrowsAsync<CancelledException>(async () => await a);
            Assert.Equal("late", e.CancelMessage);
            await b;
            Assert.True(b.IsDone && !b.IsCancelled);
            Assert.True(ev.IsSet);
        });
    }

    [Fact]   // a waiter from another loop whose token is cancelled leaves the home loop's queue
    public async Task WaitAsync_FromOtherLoop_TokenCancelled_LeavesHomeQueue()
    {
        await using var second = AioEventLoop.Create(Sys, "second");
        var ev = new AioEvent();
        await RunAsync(async () =>
        {
            await ev.WaitAsync(new CancellationToken(true)).ContinueWith(_ => { });   // binds the event to the test loop
            using var cts = new CancellationTokenSource();
            var remote = second.RunAsync(() => ev.WaitAsync(cts.Token));
            while (ev.WaiterCount < 1) await Task.Delay(1);
            cts.Cancel();
            await Assert.ThrowsAsync<OperationCanceledException>(() => remote);
            while (ev.WaiterCount > 0) await Task.Delay(1);
            Assert.Equal(0, ev.WaiterCount);
            ev.Set();
            Assert.True(ev.IsSet);
        });
    }

    [Fact]
    public async Task ToString_ShowsStateAndWaiters()
    {
        await RunAsync(async () =>
        {
            var ev = new AioEvent();
            Assert.Matches(@"^<AioEvent #\d+ \[unset\]>$", ev.ToString());
            var t = Aio.CreateTask(() => ev.WaitAsync());
            await Tick();
            Assert.Matches(@"^<AioEvent #\d+ \[unset, waiters:1\]>$", ev.ToString());
            ev.Set();
            Assert.Matches(@"^<AioEvent #\d+ \[set\]>$", ev.ToString());
            await t;
        });
    }

    [Fact]   // home loop: waiters on another loop and on a plain thread are woken by a Set on the home loop
    public async Task Set_WakesWaitersOnOtherLoopsAndPlainThreads()
    {
        await using var second = AioEventLoop.Create(Sys, "second");
        var ev = new AioEvent();
        await RunAsync(async () =>
        {
            var home = Aio.CreateTask(() => ev.WaitAsync());
            await Tick();   // binds the event to the test loop
            int loopThread = Environment.CurrentManagedThreadId;
            var remote = second.RunAsync(async () => { await ev.WaitAsync(); return Environment.CurrentManagedThreadId; });
            var plain = Task.Run(() => ev.WaitAsync());
            while (ev.WaiterCount < 3) await Task.Delay(1);
            ev.Set();
            await home;
            Assert.NotEqual(loopThread, await remote);   // resumed on its own loop
            await plain;
        });
    }

    [Fact]   // Set from a plain thread is sent to the home loop
    public async Task Set_FromPlainThread_WakesHomeWaiters()
    {
        var ev = new AioEvent();
        await RunAsync(async () =>
        {
            var w = Aio.CreateTask(() => ev.WaitAsync());
            await Tick();
            await Task.Run(() => ev.Set());
            await w;
            Assert.True(ev.IsSet);
            await Task.Run(() => ev.Clear());
            while (ev.IsSet) await Tick();
        });
    }

    [Fact]   // fallback: an event no loop used can be set from plain threads; waiting needs a loop
    public void PlainThread_UnboundEvent_SetClearWork_WaitingThrows()
    {
        var ev = new AioEvent();
        ev.Set();
        Assert.True(ev.WaitAsync().IsCompletedSuccessfully);
        ev.Clear();
        Assert.Throws<InvalidOperationException>(() => { _ = ev.WaitAsync(); });
    }
}
