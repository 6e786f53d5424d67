using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Tasks;

public class AioTaskSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{

    [Fact]
    public async Task Await_Task_ReturnsResult_AndRethrowsExceptionAsItself()   // asyncio R1, F8
    {
        int r = await RunAsync(async () => await Aio.CreateTask(async () => { await Aio.Sleep(1); return 5; }));
        Assert.Equal(5, r);
        var e = await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            RunAsync(async () => await Aio.CreateTask(async () => { await Aio.Sleep(1); throw new KeyNotFoundException("k"); })));
        Assert.Equal("k", e.Message);
    }

    [Fact]
    public async Task Name_Default_IsTaskN_AndGivenNameIsKept()   // asyncio T2
    {
        var (given, dflt) = await RunAsync(async () =>
        {
            var a = Aio.CreateTask(() => Task.FromResult(1), name: "greeter");
            var b = Aio.CreateTask(() => Task.FromResult(1));
            await a; await b;
            return (a.Name, b.Name);
        });
        Assert.Equal("greeter", given);
        Assert.Matches(@"^Task-\d+$", dflt);
    }

    [Fact]
    public async Task Cancel_BeforeFirstStep_BodyNeverRuns()   // asyncio T3, test_cancel_with_message_before_starting_task
    {
        var (ran, cancelled, msg) = await RunAsync(async () =>
        {
            bool bodyRan = false;
            var t = Aio.CreateTask(async () => { bodyRan = true; await Aio.Sleep(1); });
            Assert.True(t.Cancel("early"));
            var e = await Assert.ThrowsAsync<CancelledException>(async () => await t);
            return (bodyRan, t.IsCancelled, e.CancelMessage);
        });
        Assert.False(ran);
        Assert.True(cancelled);
        Assert.Equal("early", msg);
    }

    [Fact]
    public async Task Cancel_SleepingTask_ThrowsAtAwait_WithMessage_AndFinallyRuns()   // asyncio T4, SL3, test_task_cancel_sleeping_task
    {
        var (log, cancelled) = await RunAsync(async () =>
        {
            var l = new List<string>();
            var t = Aio.CreateTask(async () =>
            {
                try { await Aio.Sleep(3600); l.Add("not reached"); }
                catch (CancelledException e) { l.Add("caught:" + e.CancelMessage); throw; }
                finally { l.Add("finally"); }
            });
            await Aio.Sleep(1);
            Assert.True(t.Cancel("stop"));
            await Assert.ThrowsAsync<CancelledException>(async () => await t);
            return (l, t.IsCancelled);
        });
        Assert.Equal(["caught:stop", "finally"], log);
        Assert.True(cancelled);
    }

    [Fact]
    public async Task Cancel_TaskCatchesAndReturns_EndsWithValue_NotCancelled()   // asyncio T7, test_cancel_task_catching
    {
        var (value, cancelled, count) = await RunAsync(async () =>
        {
            var t = Aio.CreateTask(async () =>
            {
                try { await Aio.Sleep(10); return 1; }
                catch (CancelledException) { return 42; }
            });
            await Aio.Sleep(1);
            t.Cancel();
            int v = await t;
            return (v, t.IsCancelled, t.Cancelling());
        });
        Assert.Equal(42, value);
        Assert.False(cancelled);
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task Cancel_Repeated_ReturnsTrueAndCounts_UncancelDecrements()   // asyncio T5, T12, test_cancelling, test_uncancel_basic
    {
        var (first, second, counted, afterUncancel, doneCancel) = await RunAsync(async () =>
        {
            var t = Aio.CreateTask(async () =>
            {
                try { await Aio.Sleep(10); }
                catch (CancelledException) { }
                return Aio.CurrentTask()!.Uncancel();
            });
            await Aio.Sleep(1);
            bool a = t.Cancel(), b = t.Cancel();
            int n = t.Cancelling();
            int left = await t;
            return (a, b, n, left, t.Cancel());
        });
        Assert.True(first);
        Assert.True(second);
        Assert.Equal(2, counted);
        Assert.Equal(1, afterUncancel);
        Assert.False(doneCancel);
    }

    [Fact]
    public async Task Cancel_OuterTask_CancelsTheTaskItAwaits()   // asyncio T4, test_cancel_inner_future / cancellation down the await chain
    {
        var (inner, outer) = await RunAsync(async () =>
        {
            var innerTask = Aio.CreateTask(async () => { await Aio.Sleep(3600); return 1; });
            var outerTask = Aio.CreateTask(async () => await innerTask);
            await Aio.Sleep(1);
            outerTask.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await outerTask);
            return (innerTask.IsCancelled, outerTask.IsCancelled);
        });
        Assert.True(inner);
        Assert.True(outer);
    }

    [Fact]
    public async Task Await_CancelledTask_RaisesInAwaiter_WhoseCountStaysZero()   // asyncio T13
    {
        var (count, awaiterCancelled) = await RunAsync(async () =>
        {
            var victim = Aio.CreateTask(async () => { await Aio.Sleep(3600); });
            int seen = -1;
            var watcher = Aio.CreateTask(async () =>
            {
                try { await victim; }
                catch (CancelledException) { seen = Aio.CurrentTask()!.Cancelling(); }
            });
            await Aio.Sleep(1);
            victim.Cancel();
            await watcher;
            return (seen, watcher.IsCancelled);
        });
        Assert.Equal(0, count);
        Assert.False(awaiterCancelled);
    }

    [Fact]
    public async Task Cancel_Self_IsDeliveredAtNextSuspension()   // asyncio T9, test_cancel_current_task
    {
        var log = await RunAsync(async () =>
        {
            var l = new List<string>();
            var t = Aio.CreateTask(async () =>
            {
                Aio.CurrentTask()!.Cancel();
                l.Add("still running");
                try { await Aio.Sleep(0); l.Add("not reached"); }
                catch (CancelledException) { l.Add("cancelled at await"); throw; }
            });
            await Assert.ThrowsAsync<CancelledException>(async () => await t);
            return l;
        });
        Assert.Equal(["still running", "cancelled at await"], log);
    }

    [Fact]
    public async Task Cancel_AfterAwaitedFutureCompleted_BeforeResume_StillCancels()   // asyncio T10
    {
        var (futureResult, taskCancelled) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var fut = loop.CreateFuture<int>();
            var t = Aio.CreateTask(async () => await fut);
            await Aio.Sleep(0);          // t now awaits fut
            fut.SetResult(7);            // wake-up scheduled, not yet run
            Assert.True(t.Cancel());
            await Assert.ThrowsAsync<CancelledException>(async () => await t);
            return (fut.Result, t.IsCancelled);
        });
        Assert.Equal(7, futureResult);
        Assert.True(taskCancelled);
    }

    [Fact]
    public async Task Cancel_TaskAwaitingDotNetTask_ReachesItThroughCancellationToken()
    {
        var (cancelled, tokenCancelled) = await RunAsync(async () =>
        {
            CancellationToken seen = default;
            var t = Aio.CreateTask(async () =>
            {
                seen = Aio.CurrentTask()!.CancellationToken;
                await Task.Delay(TimeSpan.FromMinutes(10), seen);
            });
            await Aio.Sleep(0);
            await Aio.Sleep(0);
            t.Cancel("token");
            var e = await Assert.ThrowsAsync<CancelledException>(async () => await t);
            Assert.Equal("token", e.CancelMessage);
            return (t.IsCancelled, seen.IsCancellationRequested);
        });
        Assert.True(cancelled);
        Assert.True(tokenCancelled);
    }

    [Fact]
    public async Task Await_PlainDotNetTask_ResumesOnLoopThread()
    {
        var same = await RunAsync(async () =>
        {
            int loopThread = Environment.CurrentManagedThreadId;
            await Task.Delay(5);
            await Task.Run(() => Thread.Sleep(1));
            return Environment.CurrentManagedThreadId == loopThread;
        });
        Assert.True(same);
    }

    [Fact]
    public async Task Result_Pending_ThrowsInvalidState_Cancelled_ThrowsCancelled()   // asyncio F1, F4
    {
        await RunAsync(async () =>
        {
            var t = Aio.CreateTask(async () => { await Aio.Sleep(10); return "x"; });
            Assert.Throws<InvalidStateException>(() => t.Result);
            Assert.Throws<InvalidStateException>(() => t.Exception);
            t.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await t);
            Assert.Throws<CancelledException>(() => t.Result);
            Assert.Throws<CancelledException>(() => t.Exception);
        });
    }

    [Fact]
    public async Task Ref_WatchedByActor_GetsTerminatedAfterTaskFinishes()
    {
        var probe = CreateTestProbe();
        var gate = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var g = loop.CreateFuture<int>();
            var t = Aio.CreateTask(async () => await g, name: "watched");
            probe.Watch(t.Ref);
            return (g, t);
        });
        await Task.Delay(50);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Loop.CallSoonThreadsafe(() => gate.g.SetResult(1));
        var terminated = probe.ExpectMsg<Terminated>(TimeSpan.FromSeconds(10));
        Assert.Equal(gate.t.Ref, terminated.ActorRef);
    }

    [Fact]
    public async Task Ref_ToldCancel_CancelsTheTask_AndSubscribeReportsOutcome()
    {
        var probe = CreateTestProbe();
        var t = await RunAsync(() => Task.FromResult(Aio.CreateTask(async () => { await Aio.GetRunningLoop().CreateFuture<int>(); })));
        t.Ref.Tell(new TaskProtocol.Subscribe(probe.Ref));
        t.Ref.Tell(new TaskProtocol.Cancel("by message"));
        var finished = probe.ExpectMsg<TaskProtocol.Finished>(TimeSpan.FromSeconds(10));
        Assert.True(finished.Cancelled);
        Assert.True(t.IsCancelled);
    }

    [Fact]
    public async Task Future_SetResultTwice_ThrowsInvalidState_CallbacksNeverInline()   // asyncio F2, F3, F6
    {
        var (inline, later) = await RunAsync(async () =>
        {
            var f = Aio.GetRunningLoop().CreateFuture<string>();
            bool called = false;
            f.AddDoneCallback(_ => called = true);
            f.SetResult("a");
            bool calledInline = called;
            Assert.Throws<InvalidStateException>(() => f.SetResult("b"));
            await Aio.Sleep(0);
            return (calledInline, called);
        });
        Assert.False(inline);
        Assert.True(later);
    }

    [Fact]
    public async Task Await_DoneFuture_DoesNotYield()   // asyncio M4
    {
        var trace = await RunAsync(async () =>
        {
            var l = new List<string>();
            var f = Aio.GetRunningLoop().CreateFuture<int>();
            f.SetResult(1);
            Aio.GetRunningLoop().CallSoon(() => l.Add("callback"));
            await f;
            l.Add("after await");
            await Aio.Sleep(0);
            return string.Join(",", l);
        });
        Assert.Equal("after await,callback", trace);
    }

    [Fact]
    public async Task RemoveDoneCallback_RemovesEveryRegistration_ReturnsCount()   // asyncio F6
    {
        var (removed, calls) = await RunAsync(async () =>
        {
            int n = 0;
            Action<AioFuture> cb = _ => n++;
            var f = Aio.GetRunningLoop().CreateFuture<int>();
            f.AddDoneCallback(cb); f.AddDoneCallback(cb); f.AddDoneCallback(_ => n += 10);
            int r = f.RemoveDoneCallback(cb);
            f.SetResult(0);
            await Aio.Sleep(0);
            return (r, n);
        });
        Assert.Equal(2, removed);
        Assert.Equal(10, calls);
    }

    [Fact]
    public async Task Task_SetResult_IsRejected()   // asyncio T14
    {
        await RunAsync(async () =>
        {
            var t = Aio.CreateTask(() => Task.FromResult(1));
            Assert.Throws<InvalidOperationException>(() => t.SetResult(2));
            await t;
        });
    }

    [Fact]
    public async Task AllTasks_IncludesUnstarted_ExcludesFinished()   // asyncio CT2
    {
        var (before, after) = await RunAsync(async () =>
        {
            var t = Aio.CreateTask(() => Task.FromResult(1));
            bool inBefore = Aio.AllTasks().Contains(t);
            await t;
            return (inBefore, Aio.AllTasks().Contains(t));
        });
        Assert.True(before);
        Assert.False(after);
    }

    [Fact]
    public void Run_ReturnsResult_AndRethrowsMainExceptionAsItself()   // asyncio R1
    {
        Assert.Equal(42, Aio.Run(async () => { await Aio.Sleep(0.01); return 42; }));
        var e = Assert.Throws<FormatException>(() => Aio.Run(async () => { await Aio.Sleep(0.01); throw new FormatException("main"); }));
        Assert.Equal("main", e.Message);
    }

    [Fact]
    public void Run_LeftoverTasks_AreCancelledAndAwaited()   // asyncio R4, test_asyncio_run_cancels_hanging_tasks
    {
        AioTask? leftover = null;
        bool cleaned = false;
        Aio.Run(async () =>
        {
            leftover = Aio.CreateTask(async () => { try { await Aio.Sleep(3600); } finally { cleaned = true; } });
            await Aio.Sleep(0.01);
        });
        Assert.True(leftover!.IsCancelled);
        Assert.True(cleaned);
    }

    [Fact]
    public async Task Await_TaskOfAnotherLoop_ResumesOnOwnLoopThread()
    {
        await using var other = AioEventLoop.Create(Sys, "other-loop");
        var remote = other.CreateTask(async () => { await Aio.Sleep(0.05); return Environment.CurrentManagedThreadId; });
        var (mine, theirs, after) = await RunAsync(async () =>
        {
            int before = Environment.CurrentManagedThreadId;
            int t = await remote;
            return (before, t, Environment.CurrentManagedThreadId);
        });
        Assert.NotEqual(mine, theirs);
        Assert.Equal(mine, after);
    }
}
