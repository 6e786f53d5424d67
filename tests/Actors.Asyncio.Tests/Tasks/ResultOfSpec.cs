using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Tasks;

/// <summary><see cref="Aio.ResultOf{T}(IActorRef, CancellationToken)"/> on one node, on the virtual clock.</summary>
public class ResultOfSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task ResultOf_LocalTaskSleepingOnVirtualClock_DoesNotBlockTheClock()
    {
        // A local task's outcome comes from this process: the clock must still jump to the sleeper's timer.
        var (result, elapsed) = await RunAsync(async () =>
        {
            var start = Aio.GetRunningLoop().Time();
            var t = Aio.CreateTask(async () => { await Aio.Sleep(3600); return 7; });
            var r = await Aio.ResultOf<int>(t.Ref);
            return (r, Aio.GetRunningLoop().Time() - start);
        });
        Assert.Equal(7, result);
        Assert.True(elapsed >= 3600, $"elapsed {elapsed}");
    }

    [Fact]
    public async Task ResultOf_LocalFailure_ThrowsTheTasksOwnException()
    {
        var boom = new InvalidOperationException("local boom");
        var thrown = await RunAsync(async () =>
        {
            var t = Aio.CreateTask<int>(async () => { await Aio.Sleep(1); throw boom; });
            try { await Aio.ResultOf<int>(t.Ref); return null; }
            catch (Exception e) { return e; }
        });
        Assert.Same(boom, thrown);
    }

    [Fact]
    public async Task ResultOf_AwaitingTaskCancelled_DoesNotCancelAwaitedTask()   // shield-like: only the wait ends
    {
        var (awaiterCancelled, targetDone) = await RunAsync(async () =>
        {
            var target = Aio.CreateTask(async () => { await Aio.Sleep(10); return 1; });
            var awaiter = Aio.CreateTask(() => Aio.ResultOf<int>(target.Ref));
            await Aio.Sleep(1);
            awaiter.Cancel();
            try { await awaiter; } catch (CancelledException) { }
            await Aio.Sleep(0);
            var cancelled = awaiter.IsCancelled;
            var doneEarly = target.IsDone;
            await target;
            return (cancelled, doneEarly);
        });
        Assert.True(awaiterCancelled);
        Assert.False(targetDone);
    }

    [Fact]
    public async Task ResultOf_WrongResultType_ThrowsInvalidCastNamingTheTask()
    {
        var e = await RunAsync(async () =>
        {
            var t = Aio.CreateTask(() => Task.FromResult("text"), name: "texty");
            try { await Aio.ResultOf<Guid>(t.Ref); return null; }
            catch (InvalidCastException ice) { return ice; }
        });
        Assert.NotNull(e);
        Assert.Contains("'texty'", e!.Message);
    }

    [Fact]
    public async Task ResultOf_FromPlainThreadWithSystem_GetsResult()
    {
        var t = await RunAsync(() => Task.FromResult(Aio.CreateTask(async () => { await Aio.Sleep(5); return "done"; })));
        Assert.Equal("done", await Aio.ResultOf<string>(Sys, t.Ref).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void ResultOf_OutsideLoop_WithoutSystem_ThrowsNoRunningLoop()
    {
        Assert.Throws<InvalidOperationException>(() => { _ = Aio.ResultOf<int>(ActorRefs.Nobody); });
    }

    [Fact]
    public async Task ResultOf_Nobody_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Aio.ResultOf<int>(Sys, ActorRefs.Nobody));
    }

    [Fact]
    public void Name_TasksOfDifferentResultTypes_GetDistinctNumbersAndPaths()   // asyncio: Task-<n> is process-wide
    {
        var a = Loop.CreateTask(() => Task.FromResult(1));
        var b = Loop.CreateTask(() => Task.FromResult("x"));
        var c = Loop.CreateTask(() => Task.CompletedTask);
        Assert.Equal(3, new[] { a.Name, b.Name, c.Name }.Distinct().Count());
        Assert.Equal(3, new[] { a.Ref.Path, b.Ref.Path, c.Ref.Path }.Distinct().Count());
    }

    [Fact]
    public async Task Ref_ResolvesLocallyFromItsPath_WhileTheTaskIsAlive()
    {
        var t = await RunAsync(() => Task.FromResult(Aio.CreateTask(async () => { await Aio.Sleep(5); return 1; })));
        var resolved = ((ExtendedActorSystem)Sys).Provider.ResolveActorRef(t.Ref.Path);
        Assert.Same(t.Ref, resolved);
        await RunAsync(async () => await t);
    }
}
