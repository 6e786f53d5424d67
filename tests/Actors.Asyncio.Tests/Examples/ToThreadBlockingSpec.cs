using Actors.Asyncio.Examples;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Examples;

public class ToThreadBlockingSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task RunAsync_BlockingCall_RunsOffTheLoopWhileTheTickerRuns()   // guide §5: run_in_executor / to_thread
    {
        var printed = new StringWriter();
        bool offLoop = await RunAsync(() => ToThreadBlockingExample.RunAsync(printed, TimeSpan.FromMilliseconds(50)));

        Assert.True(offLoop);
        var lines = SayAfterSpec.Lines(printed);
        Assert.Equal("calling the blocking function with Aio.ToThread...", lines[0]);
        Assert.Contains("blocking call returned 42 bytes; it ran off the loop thread: True", lines);
        Assert.Equal(["tick 1: the loop is free", "tick 2: the loop is free", "tick 3: the loop is free"],
            lines.Where(l => l.StartsWith("tick", StringComparison.Ordinal)));
        Assert.Equal("done", lines[^1]);
    }

    [Fact]
    public async Task RunAsync_VirtualClock_DoesNotJumpWhileTheBlockingCallRuns()   // the executor job is real work
    {
        // While the job is in flight the virtual clock stands still, so no tick can overtake a job that takes real
        // time: the clock reads 0 when the call returns, then the ticker's 0.6 s pass instantly.
        var printed = new StringWriter();
        double elapsed = await RunAsync(async () =>
        {
            double t0 = Loop.Time();
            await ToThreadBlockingExample.RunAsync(printed, TimeSpan.FromMilliseconds(50));
            return Loop.Time() - t0;
        });

        Assert.Equal(0.6, elapsed, 3);
        var lines = SayAfterSpec.Lines(printed);
        Assert.True(Array.IndexOf(lines, "blocking call returned 42 bytes; it ran off the loop thread: True")
                    < Array.IndexOf(lines, "tick 1: the loop is free"));
    }
}
