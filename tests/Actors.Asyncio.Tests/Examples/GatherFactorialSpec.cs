using Actors.Asyncio.Examples;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Examples;

public class GatherFactorialSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task RunAsync_ThreeFactorials_GatherInInputOrderInPointThreeSeconds()   // guide §3.4, asyncio G1
    {
        var printed = new StringWriter();
        var (results, elapsed) = await RunAsync(async () =>
        {
            double t0 = Loop.Time();
            int[] r = await GatherFactorialExample.RunAsync(printed);
            return (r, Loop.Time() - t0);
        });

        Assert.Equal([2, 6, 24], results);
        Assert.Equal(0.3, elapsed, 3);   // the longest chain (C: 3 sleeps of 0.1 s), not the sum
        Assert.Equal(
            ["started at t=0.0 s",
             "Task A: computing factorial(2)...", "Task B: computing factorial(2)...", "Task C: computing factorial(2)...",
             "Task A: factorial(2) = 2", "Task B: computing factorial(3)...", "Task C: computing factorial(3)...",
             "Task B: factorial(3) = 6", "Task C: computing factorial(4)...", "Task C: factorial(4) = 24",
             "all tasks done at t=0.3 s", "results: [2, 6, 24]"],
            SayAfterSpec.Lines(printed));
    }
}
