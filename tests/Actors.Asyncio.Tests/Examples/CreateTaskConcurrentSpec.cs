using Actors.Asyncio.Examples;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Examples;

public class CreateTaskConcurrentSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task RunAsync_TwoTasks_RunConcurrentlyInTwoSecondsOfLoopTime()   // guide §3.3: "总耗时约2秒，而不是顺序执行的3秒"
    {
        var printed = new StringWriter();
        double elapsed = await RunAsync(() => CreateTaskConcurrentExample.RunAsync(printed));

        Assert.Equal(2.0, elapsed, 3);
        Assert.Equal(
            ["started at t=0.0 s", "hello", "Task 1 returned: hello processed", "world",
             "Task 2 returned: world processed", "finished at t=2.0 s"],
            SayAfterSpec.Lines(printed));
    }
}
