using Actors.Asyncio.Examples;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Examples;

public class SayAfterSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task RunAsync_SequentialAwaits_TakeThreeSecondsOfLoopTime()   // guide §3.1: "总耗时约3秒"
    {
        var printed = new StringWriter();
        double elapsed = await RunAsync(() => SayAfterExample.RunAsync(printed));

        Assert.Equal(3.0, elapsed, 3);
        Assert.Equal(
            ["started at t=0.0 s", "hello", "world", "hello done", "world done", "finished at t=3.0 s"],
            Lines(printed));
    }

    internal static string[] Lines(StringWriter w) =>
        w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}
