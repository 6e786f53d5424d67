using Xunit;
using Xunit.Abstractions;
using static Actors.Asyncio.Tests.Combinators.CombinatorTestHelpers;

namespace Actors.Asyncio.Tests.Combinators;

public class WaitSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task Wait_AllCompleted_ReturnsEveryTaskDone_NeverThrowsChildErrors()   // asyncio W1, test_wait, test_wait_with_exception
    {
        var (doneCount, pendingCount, elapsed, sameObjects) = await RunAsync(async () =>
        {
            double t0 = Aio.GetRunningLoop().Time();
            var a = Aio.CreateTask(() => After(0.1, 1));
            var b = Aio.CreateTask(() => FailAfter<int>(0.15, new InvalidOperationException()));
            var tasks = new List<AioTask<int>> { a, b };
            var (done, pending) = await Aio.Wait(tasks);
            IReadOnlySet<AioTask<int>> typed = done;
            bool same = typed.Contains(a) && typed.Contains(b);
            Assert.IsType<InvalidOperationException>(b.Exception);
            return (done.Count, pending.Count, Aio.GetRunningLoop().Time() - t0, same);
        });
        Assert.Equal(2, doneCount);
        Assert.Equal(0, pendingCount);
        Assert.Equal(0.15, elapsed, 6);
        Assert.True(sameObjects);
    }

    [Fact]
    public async Task Wait_FirstCompleted_ReturnsOnFirst_OthersPendingAndNotCancelled()   // asyncio W2, test_wait_first_completed
    {
        var (done, pending, bCancelled) = await RunAsync(async () =>
        {
            var a = Aio.CreateTask(() => After(0.1, "a"));
            var b = Aio.CreateTask(() => After(10, "b"));
            var (d, p) = await Aio.Wait(new[] { a, b }, returnWhen: ReturnWhen.FirstCompleted);
            bool bc = b.IsCancelled;
            b.Cancel();
            return (d.Select(t => t.Result).ToArray(), p.Count, bc);
        });
        Assert.Equal(["a"], done);
        Assert.Equal(1, pending);
        Assert.False(bCancelled);
    }

    [Fact]
    public async Task Wait_FirstCompleted_SameTick_DoneHoldsBoth()   // asyncio W2, test_wait_really_done
    {
        var count = await RunAsync(async () =>
        {
            var a = Aio.CreateTask(() => After(0.1, 1));
            var b = Aio.CreateTask(() => After(0.1, 2));
            var (d, _) = await Aio.Wait(new[] { a, b }, returnWhen: ReturnWhen.FirstCompleted);
            return d.Count;
        });
        Assert.Equal(2, count);
    }

    [Fact]
    public async Task Wait_FirstException_ReturnsOnFailure_CancellationDoesNotCount()   // asyncio W3, test_wait_first_exception
    {
        var (doneAfterCancel, doneAfterError, elapsed) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            double t0 = loop.Time();
            var cancelledOne = Aio.CreateTask(() => After(10, 0));
            var failing = Aio.CreateTask(() => FailAfter<int>(0.2, new InvalidOperationException()));
            var slow = Aio.CreateTask(() => After(5, 2));
            loop.CallLater(0.1, () => cancelledOne.Cancel());
            var (d, p) = await Aio.Wait(new[] { cancelledOne, failing, slow }, returnWhen: ReturnWhen.FirstException);
            slow.Cancel();
            return (d.Contains(cancelledOne), d.Contains(failing), loop.Time() - t0);
        });
        Assert.True(doneAfterCancel);
        Assert.True(doneAfterError);
        Assert.Equal(0.2, elapsed, 6);
    }

    [Fact]
    public async Task Wait_FirstException_NoneFails_BehavesAsAllCompleted()   // asyncio W3
    {
        var elapsed = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            double t0 = loop.Time();
            await Aio.Wait(new[] { Aio.CreateTask(() => After(0.1, 1)), Aio.CreateTask(() => After(0.3, 2)) }, returnWhen: ReturnWhen.FirstException);
            return loop.Time() - t0;
        });
        Assert.Equal(0.3, elapsed, 6);
    }

    [Fact]
    public async Task Wait_Timeout_ReturnsDoneAndPending_WithoutThrowing_PendingKeepRunning()   // asyncio W4, test_wait_with_timeout
    {
        var (done, pending, slowResult, elapsed) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            double t0 = loop.Time();
            var fast = Aio.CreateTask(() => After(0.1, 1));
            var slow = Aio.CreateTask(() => After(1.0, 2));
            var (d, p) = await Aio.Wait(new[] { fast, slow }, timeout: 0.5);
            double at = loop.Time() - t0;
            return (d.Count, p.Count, await slow, at);
        });
        Assert.Equal(1, done);
        Assert.Equal(1, pending);
        Assert.Equal(2, slowResult);
        Assert.Equal(0.5, elapsed, 6);
    }

    [Fact]
    public async Task Wait_TimeSpanTimeout_Works()
    {
        var pending = await RunAsync(async () =>
        {
            var slow = Aio.CreateTask(() => After(1.0, 2));
            var (_, p) = await Aio.Wait(new[] { slow }, TimeSpan.FromMilliseconds(100));
            slow.Cancel();
            return p.Count;
        });
        Assert.Equal(1, pending);
    }

    [Fact]
    public async Task Wait_EmptyInput_ThrowsArgumentException()   // asyncio W5, test_wait_errors
    {
        await RunAsync(async () =>
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Aio.Wait(new List<AioTask<int>>()));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Aio.Wait(new[] { Aio.CreateTask(() => After(0, 1)) }, returnWhen: (ReturnWhen)42));
        });
    }

    [Fact]
    public async Task Wait_Duplicates_CountOnce()   // asyncio test_wait_duplicate_coroutines
    {
        var count = await RunAsync(async () =>
        {
            var a = Aio.CreateTask(() => After(0.1, 1));
            var (d, _) = await Aio.Wait(new[] { a, a });
            return d.Count;
        });
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task Wait_AwaitingTaskCancelled_ThrowsCancelled_ChildrenUntouched()   // asyncio W6, test_yield_wait_does_not_shield_cancel
    {
        var (waiterCancelled, childCancelled, childValue) = await RunAsync(async () =>
        {
            var child = Aio.CreateTask(() => After(1, 5));
            var waiter = Aio.CreateTask(async () => { await Aio.Wait(new[] { child }); });
            await Aio.Sleep(0.1);
            waiter.Cancel();
            try { await waiter; } catch (CancelledException) { }
            return (waiter.IsCancelled, child.IsCancelled, await child);
        });
        Assert.True(waiterCancelled);
        Assert.False(childCancelled);
        Assert.Equal(5, childValue);
    }

    [Fact]
    public async Task Wait_AllTasksOverload_AcceptsIAioTask()
    {
        var done = await RunAsync(async () =>
        {
            var t = Aio.CreateTask(() => After(0.1, 1));
            IReadOnlyCollection<IAioTask> all = [t];
            var (d, _) = await Aio.Wait(all);
            return d.Single() == (IAioTask)t;
        });
        Assert.True(done);
    }

    [Fact]
    public async Task Wait_PlainFutures_Accepted()
    {
        var pending = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var f = loop.CreateFuture<int>();
            var g = loop.CreateFuture();
            loop.CallLater(0.1, () => f.SetResult(1));
            var (d, p) = await Aio.Wait(new AioFuture[] { f, g }, returnWhen: ReturnWhen.FirstCompleted);
            return (d.Single() == f, p.Single() == g);
        });
        Assert.Equal((true, true), pending);
    }
}
