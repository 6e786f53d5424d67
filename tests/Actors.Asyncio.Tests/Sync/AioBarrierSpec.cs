using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Sync;

public class AioBarrierSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    private static Task Tick() => Aio.Sleep(0);

    [Fact]   // asyncio B1: parties must be > 0
    public void Constructor_PartiesBelowOne_ThrowsArgumentOutOfRange()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AioBarrier(0));
        Assert.Contains("[0] must be > 0", e.Message);
    }

    [Fact]   // asyncio B1, test_locks.BarrierTests.test_barrier, test_filling_tasks_wait_for_parties
    public async Task WaitAsync_LastPartyReleasesAll_EachGetsAUniqueIndexInArrivalOrder()
    {
        await RunAsync(async () =>
        {
            var bar = new AioBarrier(3);
            Assert.Matches(@"^<AioBarrier #\d+ \[filling, waiters:0/3\]>$", bar.ToString());
            var a = Aio.CreateTask(() => bar.WaitAsync());
            var b = Aio.CreateTask(() => bar.WaitAsync());
            await Tick(); await Tick();
            Assert.Equal(2, bar.WaitingCount);
            Assert.False(a.IsDone);
            Assert.Matches(@"^<AioBarrier #\d+ \[filling, waiters:2/3\]>$", bar.ToString());
            int last = await bar.WaitAsync();
            Assert.Equal(2, last);
            Assert.Equal(0, await a);
            Assert.Equal(1, await b);
            Assert.False(bar.IsBroken);
            Assert.Equal(0, bar.WaitingCount);
        });
    }

    [Fact]   // test_locks.BarrierTests.test_filling_one_task
    public async Task WaitAsync_OneParty_PassesAtOnce()
    {
        await RunAsync(async () =>
        {
            var bar = new AioBarrier(1);
            Assert.Equal(0, await bar.WaitAsync());
            Assert.Equal(0, await bar.WaitAsync());   // cyclic
        });
    }

    [Fact]   // asyncio B2, test_locks.BarrierTests.test_blocking_tasks_while_draining
    public async Task WaitAsync_ArrivingWhileDraining_WaitsForTheNextCycle()
    {
        await RunAsync(async () =>
        {
            var bar = new AioBarrier(2);
            var first = new[] { Aio.CreateTask(() => bar.WaitAsync()), Aio.CreateTask(() => bar.WaitAsync()) };
            var late = Aio.CreateTask(() => bar.WaitAsync());
            await Tick(); await Tick(); await Tick();
            Assert.True(first[0].IsDone && first[1].IsDone);
            Assert.False(late.IsDone);
            Assert.Equal(1, bar.WaitingCount);
            Assert.Equal(1, await bar.WaitAsync());
            Assert.Equal(0, await late);
        });
    }

    [Fact]   // asyncio B5, test_locks.BarrierTests.test_filling_tasks_cancel_one
    public async Task WaitAsync_Cancelled_WithdrawsWithoutBreakingTheBarrier()
    {
        await RunAsync(async () =>
        {
            var bar = new AioBarrier(3);
            var a = Aio.CreateTask(() => bar.WaitAsync());
            var b = Aio.CreateTask(() => bar.WaitAsync());
            await Tick();
            Assert.Equal(2, bar.WaitingCount);
            a.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await a);
            Assert.Equal(1, bar.WaitingCount);
            Assert.False(bar.IsBroken);
            var c = Aio.CreateTask(() => bar.WaitAsync());
            await Tick();
            int mine = await bar.WaitAsync();
            Assert.Equal(2, mine);
            // asyncio's index is the count at arrival: after a withdrawal the next arrival reuses the free index.
            int ib = await b, ic = await c;
            Assert.Equal((1, 1), (ib, ic));
        });
    }

    [Fact]   // asyncio B4, test_locks.BarrierTests.test_reset_barrier, test_reset_barrier_while_tasks_waiting
    public async Task ResetAsync_WhileTasksWait_BreaksTheirWaits_AndRefills()
    {
        await RunAsync(async () =>
        {
            var bar = new AioBarrier(3);
            var a = Aio.CreateTask(() => bar.WaitAsync());
            var b = Aio.CreateTask(() => bar.WaitAsync());
            await Tick();
            await bar.ResetAsync();
            await Assert.ThrowsAsync<BrokenBarrierException>(async () => await a);
            await Assert.ThrowsAsync<BrokenBarrierException>(async () => await b);
            Assert.False(bar.IsBroken);
            Assert.Equal(0, bar.WaitingCount);
            var again = new[] { Aio.CreateTask(() => bar.WaitAsync()), Aio.CreateTask(() => bar.WaitAsync()) };
            await Tick();
            Assert.Equal(2, await bar.WaitAsync());
            foreach (var t in again) await t;
        });
    }

    [Fact]   // asyncio B3, test_locks.BarrierTests.test_abort_barrier, test_abort_and_reset_barrier
    public async Task AbortAsync_BreaksWaiters_AndLaterWaits_UntilReset()
    {
        await RunAsync(async () =>
        {
            var bar = new AioBarrier(2);
            var a = Aio.CreateTask(() => bar.WaitAsync());
            await Tick();
            await bar.AbortAsync();
            var e = await Assert.ThrowsAsync<BrokenBarrierException>(async () => await a);
            Assert.Contains("reset or aborted while waiting", e.Message);
            Assert.True(bar.IsBroken);
            Assert.Matches(@"^<AioBarrier #\d+ \[broken\]>$", bar.ToString());
            var later = await Assert.ThrowsAsync<BrokenBarrierException>(() => bar.WaitAsync());
            Assert.Contains("it was aborted", later.Message);
            await bar.ResetAsync();
            Assert.False(bar.IsBroken);
            var b = Aio.CreateTask(() => bar.WaitAsync());
            await Tick();
            Assert.Equal(1, await bar.WaitAsync());
            Assert.Equal(0, await b);
        });
    }

    [Fact]   // a barrier shared by tasks of two loops
    public async Task WaitAsync_PartiesOnTwoLoops_TripTogether()
    {
        await using var second = AioEventLoop.Create(Sys, "second");
        var bar = new AioBarrier(4);
        await RunAsync(async () =>
        {
            var local = new[] { Aio.CreateTask(() => bar.WaitAsync()), Aio.CreateTask(() => bar.WaitAsync()) };
            await Tick();
            var remote = new[] { second.RunAsync(() => bar.WaitAsync()), second.RunAsync(() => bar.WaitAsync()) };
            var all = new List<int>();
            foreach (var t in local) all.Add(await t);
            all.AddRange(await Task.WhenAll(remote));
            Assert.Equal([0, 1, 2, 3], all.Order());
        });
    }
}
