using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Combinators;

public class TimeoutSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task Timeout_BodyInTime_ReturnsValue_WithoutYieldingWhenSynchronous()
    {
        var (bounded, sync) = await RunAsync(async () =>
        {
            int b = await Aio.Timeout(1.0, async () => { await Aio.Sleep(0.1); return 7; });
            var t = Aio.Timeout(1.0, () => Task.FromResult(8));
            Assert.True(t.IsCompleted);   // asyncio M4: nothing to wait for, no yield
            return (b, await t);
        });
        Assert.Equal((7, 8), (bounded, sync));
    }

    [Fact]
    public async Task Timeout_Expires_BodyCancelledAtItsAwait_TimeoutException_CodeAfterRuns()   // asyncio TO1, test_timeout_basic
    {
        var (log, elapsed, cancelling, cause) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var trace = new List<string>();
            double t0 = loop.Time();
            Exception? caught = null;
            try
            {
                await Aio.Timeout(0.1, async () =>
                {
                    try { await Aio.Sleep(10); }
                    catch (CancelledException) { trace.Add("body cancelled"); throw; }
                });
            }
            catch (TimeoutException e) { trace.Add("timeout"); caught = e.InnerException; }
            await Aio.Sleep(0.05);   // not cancelled any more
            trace.Add("after");
            return (string.Join(",", trace), loop.Time() - t0, Aio.CurrentTask()!.Cancelling(), caught);
        });
        Assert.Equal("body cancelled,timeout,after", log);
        Assert.Equal(0.15, elapsed, 6);
        Assert.Equal(0, cancelling);
        Assert.IsType<CancelledException>(cause);
    }

    [Fact]
    public async Task Timeout_Null_NeverFires()   // asyncio TO2
    {
        var v = await RunAsync(() => Aio.Timeout(null, async (AioTimeout cm) =>
        {
            await Aio.Sleep(3600);
            Assert.Null(cm.When);
            Assert.False(cm.Expired);
            return 1;
        }));
        Assert.Equal(1, v);
    }

    [Fact]
    public async Task Timeout_Zero_FiresOnNextTick_EvenWithSleep0()   // asyncio TO2, test_timeout_zero_sleep_zero
    {
        await RunAsync(async () =>
        {
            await Assert.ThrowsAsync<TimeoutException>(() => Aio.Timeout(0, async () => { await Aio.Sleep(0); }));
            await Assert.ThrowsAsync<TimeoutException>(() => Aio.Timeout(-1, async () => { await Aio.Sleep(0); }));
            Assert.Equal(0, Aio.CurrentTask()!.Cancelling());
        });
    }

    [Fact]
    public async Task Timeout_Nested_InnerExpires_OnlyInnerConverts()   // asyncio TO3, test_nested_timeouts
    {
        var log = await RunAsync(async () =>
        {
            var trace = new List<string>();
            await Aio.Timeout(10, async () =>
            {
                try { await Aio.Timeout(0.1, async () => { await Aio.Sleep(1); }); }
                catch (TimeoutException) { trace.Add("inner timeout"); }
                await Aio.Sleep(0.1);
                trace.Add("outer body done");
            });
            return string.Join(",", trace);
        });
        Assert.Equal("inner timeout,outer body done", log);
    }

    [Fact]
    public async Task Timeout_NestedEqualDeadlines_OuterConverts_BothExpired()   // asyncio TO3
    {
        var (innerSawCancel, outerExpired, innerExpired) = await RunAsync(async () =>
        {
            AioTimeout? inner = null, outer = null;
            bool innerCancel = false;
            try
            {
                await Aio.Timeout(0.1, async (AioTimeout o) =>
                {
                    outer = o;
                    try
                    {
                        await Aio.Timeout(0.1, async (AioTimeout i) => { inner = i; await Aio.Sleep(1); });
                    }
                    catch (CancelledException) { innerCancel = true; throw; }
                });
            }
            catch (TimeoutException) { }
            return (innerCancel, outer!.Expired, inner!.Expired);
        });
        Assert.True(innerSawCancel);
        Assert.True(outerExpired);
        Assert.True(innerExpired);
    }

    [Fact]
    public async Task Timeout_OutsideCancel_StaysCancelled_NotExpired()   // asyncio TO4, test_foreign_cancel_doesnt_timeout_if_not_expired
    {
        var (cancelled, expired) = await RunAsync(async () =>
        {
            AioTimeout? scope = null;
            var t = Aio.CreateTask(() => Aio.Timeout(10, async (AioTimeout cm) => { scope = cm; await Aio.Sleep(1); }));
            await Aio.Sleep(0.1);
            t.Cancel();
            try { await t; } catch (CancelledException) { }
            return (t.IsCancelled, scope!.Expired);
        });
        Assert.True(cancelled);
        Assert.False(expired);
    }

    [Fact]
    public async Task Timeout_ForeignException_PassesThrough()   // asyncio TO5, test_foreign_exception_passed
    {
        await RunAsync(async () =>
        {
            await Assert.ThrowsAsync<KeyNotFoundException>(() => Aio.Timeout(1, async () => { await Aio.Sleep(0.01); throw new KeyNotFoundException(); }));
            // raised from cleanup after expiry: still passes through unchanged
            await Assert.ThrowsAsync<KeyNotFoundException>(() => Aio.Timeout(0.1, async () =>
            {
                try { await Aio.Sleep(1); }
                finally { throw new KeyNotFoundException(); }
            }));
            Assert.Equal(0, Aio.CurrentTask()!.Cancelling());
        });
    }

    [Fact]
    public async Task Timeout_Reschedule_MovesDeadline()   // asyncio TO6, test_reschedule
    {
        var (elapsed, afterExitThrows) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            double t0 = loop.Time();
            AioTimeout? scope = null;
            try
            {
                await Aio.Timeout(null, async (AioTimeout cm) =>
                {
                    scope = cm;
                    cm.Reschedule(loop.Time() + 0.3);
                    Assert.Equal(loop.Time() + 0.3, cm.When!.Value, 6);
                    await Aio.Sleep(10);
                });
            }
            catch (TimeoutException) { }
            bool threw = false;
            try { scope!.Reschedule(null); } catch (InvalidOperationException) { threw = true; }
            return (loop.Time() - t0, threw);
        });
        Assert.Equal(0.3, elapsed, 6);
        Assert.True(afterExitThrows);
    }

    [Fact]
    public async Task Timeout_OutsideTask_Throws()   // asyncio TO7, test_timeout_without_task
    {
        var ex = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var result = new TaskCompletionSource<Exception?>();
            loop.CallSoon(() =>
            {
                try { _ = Aio.Timeout(1, () => Task.FromResult(1)).Exception?.InnerException is { } e ? result.TrySetResult(e) : result.TrySetResult(null); }
                catch (Exception e) { result.TrySetResult(e); }
            });
            return await result.Task;
        });
        Assert.IsType<InvalidOperationException>(ex);
    }

    [Fact]
    public async Task TimeoutAt_AbsoluteLoopTime()   // asyncio TO9
    {
        var elapsed = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            double t0 = loop.Time();
            await Assert.ThrowsAsync<TimeoutException>(() => Aio.TimeoutAt(loop.Time() + 0.25, async () => { await Aio.Sleep(5); }));
            return loop.Time() - t0;
        });
        Assert.Equal(0.25, elapsed, 6);
    }

    [Fact]
    public async Task Timeout_AfterTaskAlreadyCancelled_StillTimesOut()   // asyncio TO8, test_timeout_after_cancellation
    {
        var outcome = await RunAsync(async () =>
        {
            var t = Aio.CreateTask(async () =>
            {
                try { await Aio.Sleep(10); return "no"; }
                catch (CancelledException)
                {
                    try { await Aio.Timeout(0.1, async () => { await Aio.Sleep(1); }); }
                    catch (TimeoutException) { return "timeout in cleanup"; }
                    return "no timeout";
                }
            });
            await Aio.Sleep(0.01);
            t.Cancel();
            return await t;
        });
        Assert.Equal("timeout in cleanup", outcome);
    }

    [Fact]
    public async Task Timeout_AroundTaskGroup_ChildrenCancelled_TimeoutException()   // asyncio test_timeout_taskgroup
    {
        var (childCancelled, cancelling) = await RunAsync(async () =>
        {
            AioTask? child = null;
            await Assert.ThrowsAsync<TimeoutException>(() => Aio.Timeout(0.1, () => Aio.TaskGroup(async tg =>
            {
                child = tg.CreateTask(async () => { await Aio.Sleep(10); });
                await Aio.Sleep(10);
            })));
            return (child!.IsCancelled, Aio.CurrentTask()!.Cancelling());
        });
        Assert.True(childCancelled);
        Assert.Equal(0, cancelling);
    }
}
