using Xunit;
using Xunit.Abstractions;
using static Actors.Asyncio.Tests.Combinators.CombinatorTestHelpers;

namespace Actors.Asyncio.Tests.Combinators;

public class GatherSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task Gather_Coroutines_ResultsInArgumentOrder()   // asyncio G1, GatherTestsBase.test_success
    {
        var (results, elapsed) = await RunAsync(async () =>
        {
            double t0 = Aio.GetRunningLoop().Time();
            var r = await Aio.Gather(() => After(0.03, "a"), () => After(0.01, "b"), () => After(0.02, "c"));
            return (r, Aio.GetRunningLoop().Time() - t0);
        });
        Assert.Equal(["a", "b", "c"], results);
        Assert.Equal(0.03, elapsed, 6);
    }

    [Fact]
    public async Task Gather_ListOfTasks_BindsAndKeepsOrder()
    {
        var results = await RunAsync(async () =>
        {
            var many = new List<AioTask<int>> { Aio.CreateTask(() => After(0.2, 1)), Aio.CreateTask(() => After(0.1, 2)) };
            return await Aio.Gather(many);
        });
        Assert.Equal([1, 2], results);
    }

    [Fact]
    public async Task Gather_Nothing_IsDoneWithEmptyResult()   // asyncio G6
    {
        var (done, typed, mixed) = await RunAsync(async () =>
        {
            var g = Aio.Gather<int>();
            bool d = g.IsDone;
            return (d, await g, await Aio.Gather());
        });
        Assert.True(done);
        Assert.Empty(typed);
        Assert.Empty(mixed);
    }

    [Fact]
    public async Task Gather_SameFutureTwice_ResultAtBothPositions()   // asyncio G6, test_duplicate_coroutines
    {
        var results = await RunAsync(async () =>
        {
            var t = Aio.CreateTask(() => After(0.1, 7));
            return await Aio.Gather(t, t);
        });
        Assert.Equal([7, 7], results);
    }

    [Fact]
    public async Task Gather_OneFails_FirstExceptionPropagates_OthersKeepRunning_LaterErrorsRetrieved()   // asyncio G2, test_one_exception, test_exception_marking
    {
        var (caught, bDone, bValue, cRetrieved) = await RunAsync(async () =>
        {
            var a = Aio.CreateTask(() => FailAfter<int>(0.1, new InvalidOperationException("a")));
            var b = Aio.CreateTask(() => After(0.3, 2));
            var c = Aio.CreateTask(() => FailAfter<int>(0.2, new ArgumentException("c")));
            Exception? e = null;
            try { await Aio.Gather(a, b, c); }
            catch (Exception ex) { e = ex; }
            bool bDoneAtThrow = b.IsDone;
            int bv = await b;
            await Aio.Sleep(0);
            return (e, bDoneAtThrow, bv, !IsUnretrieved(c));
        });
        Assert.IsType<InvalidOperationException>(caught);
        Assert.False(bDone);
        Assert.Equal(2, bValue);
        Assert.True(cRetrieved);
    }

    [Fact]
    public async Task Gather_ReturnExceptions_ExceptionsAndCancellationsAsValues()   // asyncio G3, test_return_exceptions
    {
        var results = await RunAsync(async () =>
        {
            var a = Aio.CreateTask(() => After(0.1, 1));
            var b = Aio.CreateTask(() => FailAfter<string>(0.1, new InvalidOperationException("b")));
            var c = Aio.CreateTask(() => After(0.5, "c"));
            var d = Aio.CreateTask(async () => { await Aio.Sleep(0.1); });
            var g = Aio.Gather(returnExceptions: true, a, b, c, d);
            await Aio.Sleep(0.2);
            c.Cancel("stop c");
            var r = await g;
            Assert.False(IsUnretrieved(b));
            return r;
        });
        Assert.Equal(1, results[0]);
        Assert.Equal("b", Assert.IsType<InvalidOperationException>(results[1]).Message);
        Assert.Equal("stop c", Assert.IsType<CancelledException>(results[2]).CancelMessage);
        Assert.Null(results[3]);
    }

    [Fact]
    public async Task Gather_Cancel_CancelsEveryChild_AwaitThrowsCancelled_EvenWithReturnExceptions()   // asyncio G4, test_cancellation_broadcast
    {
        var (accepted, t1Cancelled, t2Cancelled, typedThrew, mixedThrew, gCancelled) = await RunAsync(async () =>
        {
            var t1 = Aio.CreateTask(() => After(10, 1));
            var t2 = Aio.CreateTask(() => After(10, 2));
            var g = Aio.Gather(t1, t2);
            await Aio.Sleep(0);
            bool ok = g.Cancel();
            bool threw = false;
            try { await g; } catch (CancelledException) { threw = true; }

            var t3 = Aio.CreateTask(() => After(10, 3));
            var mixed = Aio.Gather(returnExceptions: true, t3);
            await Aio.Sleep(0);
            mixed.Cancel();
            bool mixedThrew = false;
            try { await mixed; } catch (CancelledException) { mixedThrew = true; }
            return (ok, t1.IsCancelled, t2.IsCancelled, threw, mixedThrew, g.IsCancelled);
        });
        Assert.True(accepted);
        Assert.True(t1Cancelled);
        Assert.True(t2Cancelled);
        Assert.True(typedThrew);
        Assert.True(mixedThrew);
        Assert.False(gCancelled);   // finished with a CancelledException, like asyncio's _GatheringFuture
    }

    [Fact]
    public async Task Gather_AwaitingTaskCancelled_CancelsChildren()   // asyncio G4, test_cancel_gather_1
    {
        var (outerCancelled, c1, c2) = await RunAsync(async () =>
        {
            var c1 = Aio.CreateTask(() => After(10, 1));
            var c2 = Aio.CreateTask(() => After(10, 2));
            var outer = Aio.CreateTask(async () => await Aio.Gather(c1, c2));
            await Aio.Sleep(0.1);
            outer.Cancel();
            try { await outer; } catch (CancelledException) { }
            return (outer.IsCancelled, c1.IsCancelled, c2.IsCancelled);
        });
        Assert.True(outerCancelled);
        Assert.True(c1);
        Assert.True(c2);
    }

    [Fact]
    public async Task Gather_ChildCancelledOnItsOwn_ThrowsCancelled_ButGatherNotCancelled_SiblingsRun()   // asyncio G5, test_one_cancellation
    {
        var (threw, gatherCancelled, exceptionIsCancelled, siblingValue) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var a = loop.CreateFuture<int>();
            var b = loop.CreateFuture<int>();
            var c = Aio.CreateTask(() => After(0.5, 3));
            var g = Aio.Gather(a, b, c);
            a.SetResult(1);
            b.Cancel();
            bool t = false;
            try { await g; } catch (CancelledException) { t = true; }
            return (t, g.IsCancelled, g.Exception is CancelledException, await c);
        });
        Assert.True(threw);
        Assert.False(gatherCancelled);
        Assert.True(exceptionIsCancelled);
        Assert.Equal(3, siblingValue);
    }

    [Fact]
    public async Task Gather_CancelAfterDone_ReturnsFalse_LeavesChildrenAlone()   // asyncio G7
    {
        var (accepted, siblingCancelled) = await RunAsync(async () =>
        {
            var a = Aio.CreateTask(() => FailAfter<int>(0.1, new InvalidOperationException()));
            var b = Aio.CreateTask(() => After(1, 2));
            var g = Aio.Gather(a, b);
            try { await g; } catch (InvalidOperationException) { }
            bool r = g.Cancel();
            await b;
            return (r, b.IsCancelled);
        });
        Assert.False(accepted);
        Assert.False(siblingCancelled);
    }

    [Fact]
    public async Task Gather_VoidCoroutines_GiveNotUsed()
    {
        var n = await RunAsync(async () =>
        {
            int count = 0;
            var r = await Aio.Gather(async () => { await Aio.Sleep(0.1); count++; }, async () => { await Aio.Sleep(0.2); count++; });
            return (r.Length, count);
        });
        Assert.Equal((2, 2), n);
    }

    [Fact]
    public async Task Gather_ChildrenOnAnotherLoop_CompletionsForwarded()
    {
        await using var other = AioEventLoop.Create(Sys, "other-gather");
        var results = await RunAsync(async () =>
        {
            var remote1 = other.CreateTask(async () => { await Task.Yield(); return Environment.CurrentManagedThreadId; });
            var remote2 = other.CreateTask(() => Task.FromResult(-1));
            int here = Environment.CurrentManagedThreadId;
            var r = await Aio.Gather(remote1, remote2);
            Assert.Equal(here, Environment.CurrentManagedThreadId);
            return (r, here);
        });
        Assert.NotEqual(results.here, results.r[0]);
        Assert.Equal(-1, results.r[1]);
    }

    [Fact]
    public async Task Gather_CompletionOrderInTicks_MatchesAsyncio()   // asyncio M3: child done -> callback -> awaiter
    {
        var log = await RunAsync(async () =>
        {
            var trace = new List<string>();
            var loop = Aio.GetRunningLoop();
            var f = loop.CreateFuture<int>();
            var waiter = Aio.CreateTask(async () => { await Aio.Gather(f); trace.Add("gathered"); });
            await Aio.Sleep(0);
            f.SetResult(1);
            trace.Add("set");
            await Aio.Sleep(0); trace.Add("tick1");
            await Aio.Sleep(0); trace.Add("tick2");
            await waiter;
            return string.Join(",", trace);
        });
        Assert.Equal("set,tick1,gathered,tick2", log);
    }

    [Fact]
    public async Task Gather_ArrayOfTasks_Binds_AndMixedGivesNullForVoidTask()
    {
        var (typed, mixed) = await RunAsync(async () =>
        {
            var arr = new[] { Aio.CreateTask(() => After(0.1, 1)), Aio.CreateTask(() => After(0.1, 2)) };
            var v = Aio.CreateTask(async () => { await Aio.Sleep(0.1); });
            return (await Aio.Gather(arr), await Aio.Gather(returnExceptions: false, arr[0], v));
        });
        Assert.Equal([1, 2], typed);
        Assert.Equal([1, null], mixed);
    }
}
