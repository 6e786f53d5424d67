using Xunit;
using Xunit.Abstractions;
using static Actors.Asyncio.Tests.Combinators.CombinatorTestHelpers;

namespace Actors.Asyncio.Tests.Combinators;

public class WaitForSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task WaitFor_InTime_ReturnsResult_ExceptionUnchanged()   // asyncio WF1
    {
        var (fromCoroutine, fromTask, fromNull) = await RunAsync(async () =>
        {
            string a = await Aio.WaitFor(() => After(0.1, "a"), timeout: 1.0);
            var t = Aio.CreateTask(() => After(0.1, "b"));
            string b = await Aio.WaitFor(t, TimeSpan.FromSeconds(1));
            string c = await Aio.WaitFor(() => After(100, "c"), timeout: null);
            var boom = new InvalidOperationException("boom");
            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Aio.WaitFor(() => FailAfter<int>(0.1, boom), 1.0));
            Assert.Same(boom, thrown);
            Assert.Equal(0, Aio.CurrentTask()!.Cancelling());
            return (a, b, c);
        });
        Assert.Equal(("a", "b", "c"), (fromCoroutine, fromTask, fromNull));
    }

    [Fact]
    public async Task WaitFor_Timeout_CancelsInnerTask_WaitsForIt_ThenTimeoutException()   // asyncio WF2, test_wait_for_waits_for_task_cancellation
    {
        var (log, elapsed, innerCancelled, cause, cancelling) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var trace = new List<string>();
            double t0 = loop.Time();
            var inner = Aio.CreateTask(async () =>
            {
                try { await Aio.Sleep(10); }
                catch (CancelledException)
                {
                    trace.Add("inner cancelled");
                    await Aio.Sleep(0.5);   // slow cleanup delays the TimeoutException
                    trace.Add("inner cleaned up");
                    throw;
                }
                return 1;
            });
            var e = await Assert.ThrowsAsync<TimeoutException>(() => Aio.WaitFor(inner, 0.1));
            trace.Add("timeout");
            return (string.Join(",", trace), loop.Time() - t0, inner.IsCancelled, e.InnerException, Aio.CurrentTask()!.Cancelling());
        });
        Assert.Equal("inner cancelled,inner cleaned up,timeout", log);
        Assert.Equal(0.6, elapsed, 6);
        Assert.True(innerCancelled);
        Assert.IsType<CancelledException>(cause);
        Assert.Equal(0, cancelling);
    }

    [Fact]
    public async Task WaitFor_CoroutineTimeout_CancelledAtItsAwait_CleanupRunsFirst()   // asyncio WF2, test_asyncio_wait_for_timeout
    {
        var (log, elapsed) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var trace = new List<string>();
            double t0 = loop.Time();
            try
            {
                await Aio.WaitFor(async () =>
                {
                    try { await Aio.Sleep(10); return 1; }
                    finally { trace.Add("cleanup"); }
                }, timeout: 0.2);
            }
            catch (TimeoutException) { trace.Add("timeout"); }
            return (string.Join(",", trace), loop.Time() - t0);
        });
        Assert.Equal("cleanup,timeout", log);
        Assert.Equal(0.2, elapsed, 6);
    }

    [Fact]
    public async Task WaitFor_InnerSwallowsCancel_ReturnsItsValue()   // asyncio WF3, test_wait_for_cancel_suppressed
    {
        var value = await RunAsync(async () =>
        {
            var inner = Aio.CreateTask(async () =>
            {
                try { await Aio.Sleep(10); return "normal"; }
                catch (CancelledException) { return "swallowed"; }
            });
            return await Aio.WaitFor(inner, 0.1);
        });
        Assert.Equal("swallowed", value);
    }

    [Fact]
    public async Task WaitFor_InnerRaisesDuringCancel_ThatExceptionPropagates()   // asyncio WF3, test_wait_for_reraises_exception_during_cancellation
    {
        await RunAsync(async () =>
        {
            var inner = Aio.CreateTask(async () =>
            {
                try { await Aio.Sleep(10); }
                catch (CancelledException) { throw new FormatException("during cancel"); }
                return 0;
            });
            await Assert.ThrowsAsync<FormatException>(() => Aio.WaitFor(inner, 0.1));
        });
    }

    [Fact]
    public async Task WaitFor_ZeroOrLess_DoneGivesResult_PendingCancelledAtOnce_CoroutineNeverRuns()   // asyncio WF4, test_wait_for_timeout_less_then_0_or_0*
    {
        var (doneValue, ran, elapsed, innerCancelled) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var done = Aio.CreateTask(() => Task.FromResult(5));
            await Aio.Sleep(0);
            int v = await Aio.WaitFor(done, 0);
            bool started = false;
            double t0 = loop.Time();
            await Assert.ThrowsAsync<TimeoutException>(() => Aio.WaitFor(async () => { started = true; await Aio.Sleep(1); return 1; }, -1));
            var pending = Aio.CreateTask(() => After(1, 2));
            await Assert.ThrowsAsync<TimeoutException>(() => Aio.WaitFor(pending, 0));
            return (v, started, loop.Time() - t0, pending.IsCancelled);
        });
        Assert.Equal(5, doneValue);
        Assert.False(ran);
        Assert.Equal(0, elapsed, 6);
        Assert.True(innerCancelled);
    }

    [Fact]
    public async Task WaitFor_AwaitingTaskCancelled_CancelsInner()   // asyncio WF5, test_cancel_wait_for
    {
        var (outerCancelled, innerCancelled) = await RunAsync(async () =>
        {
            var inner = Aio.CreateTask(() => After(10, 1));
            var outer = Aio.CreateTask(() => Aio.WaitFor(inner, 5));
            await Aio.Sleep(0.1);
            outer.Cancel();
            try { await outer; } catch (CancelledException) { }
            await Aio.Sleep(0);
            return (outer.IsCancelled, inner.IsCancelled);
        });
        Assert.True(outerCancelled);
        Assert.True(innerCancelled);
    }

    [Fact]
    public async Task WaitFor_OuterCancelledInSameTickInnerCompletes_CancellationNotLost()   // asyncio WF6, test_wait_for_issue86296
    {
        var (outerCancelled, innerValue) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var inner = loop.CreateFuture<int>();
            var outer = Aio.CreateTask(() => Aio.WaitFor(inner, 10));
            await Aio.Sleep(0);
            inner.SetResult(42);
            outer.Cancel();
            try { await outer; } catch (CancelledException) { }
            return (outer.IsCancelled, inner.Result);
        });
        Assert.True(outerCancelled);
        Assert.Equal(42, innerValue);
    }

    [Fact]
    public async Task WaitFor_Shielded_TimesOut_ShieldCancelled_InnerCompletes()   // asyncio WF7, WaitForShieldTests
    {
        var (innerValue, innerCancelled) = await RunAsync(async () =>
        {
            var inner = Aio.CreateTask(() => After(0.5, 9));
            var shield = Aio.Shield(inner);
            await Assert.ThrowsAsync<TimeoutException>(() => Aio.WaitFor(shield, 0.1));
            Assert.True(shield.IsCancelled);
            return (await inner, inner.IsCancelled);
        });
        Assert.Equal(9, innerValue);
        Assert.False(innerCancelled);
    }

    [Fact]
    public async Task WaitFor_ManyInTime_LeavesNoLiveTimer()
    {
        var (elapsed, cancelling) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            double t0 = loop.Time();
            for (int i = 0; i < 1000; i++) await Aio.WaitFor(() => After(0, i), 60);
            await Aio.Sleep(0.001);   // a live 60 s timer left behind would not matter here, but a fired one would cancel us
            return (loop.Time() - t0, Aio.CurrentTask()!.Cancelling());
        });
        Assert.True(elapsed < 1);
        Assert.Equal(0, cancelling);
    }

    [Fact]
    public async Task WaitFor_PlainFutureWithoutValue_TimesOutAndIsCancelled()   // asyncio WF2 on a Future
    {
        var cancelled = await RunAsync(async () =>
        {
            var f = Aio.GetRunningLoop().CreateFuture();
            var e = await Assert.ThrowsAsync<TimeoutException>(() => Aio.WaitFor(f, TimeSpan.FromMilliseconds(50)));
            Assert.Contains("AioFuture", e.Message);
            return f.IsCancelled;
        });
        Assert.True(cancelled);
    }
}
