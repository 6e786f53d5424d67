using Xunit;
using Xunit.Abstractions;
using static Actors.Asyncio.Tests.Combinators.CombinatorTestHelpers;

namespace Actors.Asyncio.Tests.Combinators;

public class AioTaskGroupSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task TaskGroup_WaitsForAllChildren_IncludingOnesCreatedWhileExiting()   // asyncio TG1, test_taskgroup_01/_02
    {
        var (log, elapsed) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            double t0 = loop.Time();
            var trace = new List<string>();
            await Aio.TaskGroup(async tg =>
            {
                var a = tg.CreateTask(() => After(0.1, 1));
                _ = tg.CreateTask(async () =>
                {
                    await Aio.Sleep(0.2);
                    _ = tg.CreateTask(async () => { await Aio.Sleep(0.3); trace.Add("grandchild"); });
                    trace.Add("b");
                });
                trace.Add("body " + await a);
            });
            trace.Add("after");
            return (string.Join(",", trace), loop.Time() - t0);
        });
        Assert.Equal("body 1,b,grandchild,after", log);
        Assert.Equal(0.5, elapsed, 6);
    }

    [Fact]
    public async Task TaskGroup_ReturnsBodyValue()
    {
        var v = await RunAsync(() => Aio.TaskGroup(async tg =>
        {
            var a = tg.CreateTask(() => After(0.1, 20));
            var b = tg.CreateTask(() => After(0.2, 22));
            return await a + await b;
        }));
        Assert.Equal(42, v);
    }

    [Fact]
    public async Task TaskGroup_ChildFails_CancelsSiblingsAndBody_ErrorsInOneAggregate()   // asyncio TG2, test_taskgroup_04/_06, test_cancel_children_on_child_error
    {
        var (errors, siblingCancelled, bodyCancelled, cancelling, retrieved) = await RunAsync(async () =>
        {
            AioTask<int>? sibling = null, f1 = null, f2 = null;
            bool bodySawCancel = false;
            var agg = await Assert.ThrowsAsync<AggregateException>(() => Aio.TaskGroup(async tg =>
            {
                sibling = tg.CreateTask(() => After(10, 0));
                f1 = tg.CreateTask(() => FailAfter<int>(0.1, new FormatException("one")));
                f2 = tg.CreateTask(async () =>
                {
                    try { await Aio.Sleep(10); return 0; }
                    catch (CancelledException) { throw new KeyNotFoundException("two, while cancelled"); }
                });
                try { await Aio.Sleep(10); }
                catch (CancelledException) { bodySawCancel = true; throw; }
            }));
            return (agg.InnerExceptions.Select(e => e.GetType().Name).ToArray(), sibling!.IsCancelled, bodySawCancel,
                Aio.CurrentTask()!.Cancelling(), !IsUnretrieved(f1!) && !IsUnretrieved(f2!));
        });
        Assert.Equal(["FormatException", "KeyNotFoundException"], errors);
        Assert.True(siblingCancelled);
        Assert.True(bodyCancelled);
        Assert.Equal(0, cancelling);
        Assert.True(retrieved);
    }

    [Fact]
    public async Task TaskGroup_AfterFailure_CodeAfterBlockRuns()   // asyncio TG6, test_cancelling_level_preserved
    {
        var log = await RunAsync(async () =>
        {
            var trace = new List<string>();
            try
            {
                await Aio.TaskGroup(async tg =>
                {
                    _ = tg.CreateTask(() => FailAfter<int>(0.1, new FormatException()));
                    await Aio.Sleep(10);
                });
            }
            catch (AggregateException) { trace.Add("caught"); }
            await Aio.Sleep(0.1);   // would throw CancelledException if the group's cancel were left over
            trace.Add("after");
            return string.Join(",", trace);
        });
        Assert.Equal("caught,after", log);
    }

    [Fact]
    public async Task TaskGroup_BodyThrows_CancelsChildren_ErrorInsideAggregate()   // asyncio TG3, test_taskgroup_15
    {
        var (inner, childCancelled) = await RunAsync(async () =>
        {
            AioTask<int>? child = null;
            var agg = await Assert.ThrowsAsync<AggregateException>(() => Aio.TaskGroup(async tg =>
            {
                child = tg.CreateTask(() => After(10, 1));
                await Aio.Sleep(0.1);
                throw new DivideByZeroException();
            }));
            return (agg.InnerExceptions.Single(), child!.IsCancelled);
        });
        Assert.IsType<DivideByZeroException>(inner);
        Assert.True(childCancelled);
    }

    [Fact]
    public async Task TaskGroup_ChildCancelledIndividually_AffectsNoOne()   // asyncio TG4
    {
        var v = await RunAsync(() => Aio.TaskGroup(async tg =>
        {
            var a = tg.CreateTask(() => After(1, 1));
            var b = tg.CreateTask(() => After(0.5, 2));
            await Aio.Sleep(0.1);
            a.Cancel();
            return await b;
        }));
        Assert.Equal(2, v);
    }

    [Fact]
    public async Task TaskGroup_OutsideCancel_CancelsChildren_PropagatesCancelled()   // asyncio TG5, test_taskgroup_07/_09
    {
        var (outerCancelled, childCancelled) = await RunAsync(async () =>
        {
            AioTask<int>? child = null;
            var outer = Aio.CreateTask(() => Aio.TaskGroup(async tg =>
            {
                child = tg.CreateTask(() => After(10, 1));
                await Aio.Sleep(10);
            }));
            await Aio.Sleep(0.1);
            outer.Cancel();
            try { await outer; } catch (CancelledException) { }
            return (outer.IsCancelled, child!.IsCancelled);
        });
        Assert.True(outerCancelled);
        Assert.True(childCancelled);
    }

    [Fact]
    public async Task TaskGroup_OutsideCancelWhileExiting_PropagatesCancelled()   // asyncio TG5, test_taskgroup_10
    {
        var cancelled = await RunAsync(async () =>
        {
            var outer = Aio.CreateTask(() => Aio.TaskGroup(tg =>
            {
                _ = tg.CreateTask(() => After(10, 1));
                return Task.CompletedTask;
            }));
            await Aio.Sleep(0.1);
            outer.Cancel();
            try { await outer; } catch (CancelledException) { }
            return outer.IsCancelled;
        });
        Assert.True(cancelled);
    }

    [Fact]
    public async Task TaskGroup_ErrorsBeatOutsideCancellation()   // asyncio TG5, test_taskgroup_08/_16
    {
        var errors = await RunAsync(async () =>
        {
            var outer = Aio.CreateTask(() => Aio.TaskGroup(async tg =>
            {
                _ = tg.CreateTask(async () =>
                {
                    try { await Aio.Sleep(10); }
                    catch (CancelledException) { throw new FormatException("on cancel"); }
                });
                await Aio.Sleep(10);
            }));
            await Aio.Sleep(0.1);
            outer.Cancel();
            try { await outer; } catch (AggregateException e) { return e.InnerExceptions.Count; }
            return -1;
        });
        Assert.Equal(1, errors);
    }

    [Fact]
    public async Task TaskGroup_CreateTaskWhenFinished_OrShuttingDown_Throws()   // asyncio TG8, test_taskgroup_finished, test_taskgroup_no_create_task_after_failure
    {
        await RunAsync(async () =>
        {
            AioTaskGroup? kept = null;
            await Aio.TaskGroup(tg => { kept = tg; return Task.CompletedTask; });
            Assert.Throws<InvalidOperationException>(() => kept!.CreateTask(() => After(0, 1)));

            Exception? shuttingDown = null;
            await Assert.ThrowsAsync<AggregateException>(() => Aio.TaskGroup(async tg =>
            {
                _ = tg.CreateTask(() => FailAfter<int>(0.1, new FormatException()));
                try { await Aio.Sleep(1); }
                catch (CancelledException)
                {
                    try { _ = tg.CreateTask(() => After(0, 1)); } catch (InvalidOperationException e) { shuttingDown = e; }
                    throw;
                }
            }));
            Assert.NotNull(shuttingDown);
        });
    }

    [Fact]
    public async Task TaskGroup_OutsideTask_Throws()   // asyncio TG9, test_taskgroup_without_parent_task
    {
        var ex = await RunAsync(async () =>
        {
            var result = new TaskCompletionSource<Exception?>();
            Aio.GetRunningLoop().CallSoon(() => result.TrySetResult(Aio.TaskGroup(_ => Task.CompletedTask).Exception?.InnerException));
            return await result.Task;
        });
        Assert.IsType<InvalidOperationException>(ex);
    }

    [Fact]
    public async Task TaskGroup_Nested_InnerFailure_PropagatesAsAggregateThroughOuter()   // asyncio test_taskgroup_12 shape
    {
        var outerAgg = await RunAsync(async () =>
        {
            try
            {
                await Aio.TaskGroup(async outer =>
                {
                    _ = outer.CreateTask(() => After(10, 1));
                    await Aio.TaskGroup(async inner =>
                    {
                        _ = inner.CreateTask(() => FailAfter<int>(0.1, new FormatException()));
                        await Aio.Sleep(10);
                    });
                });
            }
            catch (AggregateException e) { return e; }
            return null;
        });
        Assert.NotNull(outerAgg);
        var innerAgg = Assert.IsType<AggregateException>(Assert.Single(outerAgg!.InnerExceptions));
        Assert.IsType<FormatException>(Assert.Single(innerAgg.InnerExceptions));
    }

    [Fact]
    public async Task TaskGroup_ChildFailsWhileExiting_CancelsOthers_CodeAfterRuns()   // asyncio TG2 during __aexit__
    {
        var (errors, otherCancelled, log) = await RunAsync(async () =>
        {
            AioTask<int>? other = null;
            var trace = new List<string>();
            AggregateException? agg = null;
            try
            {
                await Aio.TaskGroup(tg =>
                {
                    other = tg.CreateTask(() => After(10, 1));
                    _ = tg.CreateTask(() => FailAfter<int>(0.1, new FormatException()));
                    return Task.CompletedTask;
                });
            }
            catch (AggregateException e) { agg = e; }
            await Aio.Sleep(0.01);
            trace.Add("after");
            return (agg!.InnerExceptions.Count, other!.IsCancelled, string.Join(",", trace));
        });
        Assert.Equal(1, errors);
        Assert.True(otherCancelled);
        Assert.Equal("after", log);
    }
}
