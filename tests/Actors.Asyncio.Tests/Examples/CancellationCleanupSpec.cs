using Actors.Asyncio.Examples;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Examples;

public class CancellationCleanupSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task RunAsync_TaskCancelledAfterThreeSeconds_RunsCleanupAndEndsCancelled()   // guide §5, asyncio T3
    {
        var printed = new StringWriter();
        var (task, elapsed) = await RunAsync(async () =>
        {
            double t0 = Loop.Time();
            var t = await CancellationCleanupExample.RunAsync(printed);
            return (t, Loop.Time() - t0);
        });

        Assert.True(task.IsCancelled);
        Assert.Equal(3.0, elapsed, 3);
        // Ticks at t=0, 1 and 2; at t=3 main's sleep ends first (it was scheduled first), so the cancel reaches the
        // task's already-woken sleep and is thrown there instead of a fourth tick.
        Assert.Equal(
            ["task running...", "task running...", "task running...", "task cancelled, cleaning up...",
             "main caught the task's cancellation"],
            SayAfterSpec.Lines(printed));
    }
}
