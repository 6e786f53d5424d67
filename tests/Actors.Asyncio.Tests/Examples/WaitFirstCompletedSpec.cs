using Actors.Asyncio.Examples;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Examples;

public class WaitFirstCompletedSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task RunAsync_AllThenFirstCompleted_ReturnsTheFastestAndCancelsTheRest()   // guide §3.5, asyncio W1/W2
    {
        var printed = new StringWriter();
        var (first, elapsed) = await RunAsync(async () =>
        {
            double t0 = Loop.Time();
            var r = await WaitFirstCompletedExample.RunAsync(printed);
            return (r, Loop.Time() - t0);
        });

        Assert.Equal(["Task 3 result"], first);
        // 3 s for ALL_COMPLETED (the slowest task), then 0.5 s until the first of the new tasks completes; the
        // cancelled tasks end in the same instant.
        Assert.Equal(3.5, elapsed, 3);
        Assert.Equal(
            ["Task 3 done", "Task 1 done", "Task 2 done", "all tasks done:",
             " - Task 1 result", " - Task 2 result", " - Task 3 result",
             "Task 3 done", "first task done:", " - Task 3 result",
             " - Task 1 cancelled: True", " - Task 2 cancelled: True"],
            SayAfterSpec.Lines(printed));
    }
}
