using Actors.Asyncio.Examples;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Examples;

public class FutureSetAfterSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task RunAsync_FutureSetByTask_IsAwaitedAfterOneSecond()   // guide §3.6
    {
        var printed = new StringWriter();
        var (result, elapsed) = await RunAsync(async () =>
        {
            double t0 = Loop.Time();
            string r = await FutureSetAfterExample.RunAsync(printed);
            return (r, Loop.Time() - t0);
        });

        Assert.Equal("... future result ...", result);
        Assert.Equal(1.0, elapsed, 3);
        Assert.Equal(["waiting for the future...", "... future result ..."], SayAfterSpec.Lines(printed));
    }
}
