using Actors.Asyncio.Examples;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Examples;

public class ActorInteropSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task RunAsync_ActorFeedsQueue_TasksReportBack_AndWatchSeesThemStop()
    {
        var printed = new StringWriter();
        var summary = await RunAsync(() => ActorInteropExample.RunAsync(printed));

        Assert.Equal(new CollectorProtocol.Summary(91, 6, 2), summary);   // 1²+…+6², six results, both workers watched
        var lines = SayAfterSpec.Lines(printed);
        Assert.Equal(6, lines.Count(l => l.StartsWith("collector: worker-", StringComparison.Ordinal)));
        Assert.Contains("main: worker-1 cancelled (no more work)", lines);
        Assert.Contains("main: worker-2 cancelled (no more work)", lines);
        Assert.Contains("main: the collector saw worker-1 stopped", lines);
        Assert.Contains("main: the collector saw worker-2 stopped", lines);
    }
}
