using Xunit;
using Xunit.Abstractions;
using static Actors.Asyncio.Tests.Combinators.CombinatorTestHelpers;

namespace Actors.Asyncio.Tests.Combinators;

public class ShieldSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task Shield_Result_And_Exception_AreCopied()   // asyncio SH2, test_shield_result, test_shield_exception
    {
        var (value, error) = await RunAsync(async () =>
        {
            int shielded = await Aio.Shield(Aio.CreateTask(() => After(0.1, 3)));
            var failing = Aio.CreateTask(() => FailAfter<int>(0.1, new FormatException()));
            var e = await Assert.ThrowsAsync<FormatException>(async () => await Aio.Shield(failing));
            Assert.False(IsUnretrieved(failing));
            return (shielded, e);
        });
        Assert.Equal(3, value);
        Assert.NotNull(error);
    }

    [Fact]
    public async Task Shield_AwaiterCancelled_InnerKeepsRunning()   // asyncio SH1, test_shield_effect
    {
        var (awaiterCancelled, innerValue, innerCancelled) = await RunAsync(async () =>
        {
            var inner = Aio.CreateTask(() => After(0.5, 11));
            var awaiter = Aio.CreateTask(async () => await Aio.Shield(inner));
            await Aio.Sleep(0.1);
            awaiter.Cancel();
            try { await awaiter; } catch (CancelledException) { }
            return (awaiter.IsCancelled, await inner, inner.IsCancelled);
        });
        Assert.True(awaiterCancelled);
        Assert.Equal(11, innerValue);
        Assert.False(innerCancelled);
    }

    [Fact]
    public async Task Shield_InnerCancelled_CancelsShield()   // asyncio SH2, test_shield_cancel_inner
    {
        var cancelled = await RunAsync(async () =>
        {
            var inner = Aio.CreateTask(() => After(1, 1));
            var outer = Aio.Shield(inner);
            await Aio.Sleep(0);
            inner.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await outer);
            return outer.IsCancelled;
        });
        Assert.True(cancelled);
    }

    [Fact]
    public async Task Shield_OuterCancelled_InnerUntouched()   // asyncio test_shield_cancel_outer
    {
        var (innerDone, innerCancelled) = await RunAsync(async () =>
        {
            var inner = Aio.GetRunningLoop().CreateFuture<int>();
            var outer = Aio.Shield(inner);
            Assert.True(outer.Cancel());
            await Aio.Sleep(0);
            bool done = inner.IsDone;
            inner.SetResult(1);
            return (done, inner.IsCancelled);
        });
        Assert.False(innerDone);
        Assert.False(innerCancelled);
    }

    [Fact]
    public async Task Shield_InnerAlreadyDone_ReturnsInnerItself()   // asyncio SH3, test_shield_shortcut
    {
        var same = await RunAsync(async () =>
        {
            var f = Aio.GetRunningLoop().CreateFuture<int>();
            f.SetResult(1);
            var plain = Aio.GetRunningLoop().CreateFuture();
            plain.SetResult();
            await Aio.Sleep(0);
            return ReferenceEquals(Aio.Shield(f), f) && ReferenceEquals(Aio.Shield(plain), plain);
        });
        Assert.True(same);
    }

    [Fact]
    public async Task Gather_OfShields_CancelCancelsOnlyShields()   // asyncio SH4, test_gather_shield
    {
        var (aCancelled, bCancelled, aValue) = await RunAsync(async () =>
        {
            var a = Aio.CreateTask(() => After(0.2, 1));
            var b = Aio.CreateTask(() => After(0.2, 2));
            var g = Aio.Gather(Aio.Shield(a), Aio.Shield(b));
            await Aio.Sleep(0);
            g.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await g);
            return (a.IsCancelled, b.IsCancelled, await a);
        });
        Assert.False(aCancelled);
        Assert.False(bCancelled);
        Assert.Equal(1, aValue);
    }

    [Fact]
    public async Task Shield_Coroutine_RunsItAsTask()
    {
        var v = await RunAsync(async () => await Aio.Shield(() => After(0.1, "x")));
        Assert.Equal("x", v);
    }
}
