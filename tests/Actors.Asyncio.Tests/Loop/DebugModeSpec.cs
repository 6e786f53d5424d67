using Akka.Configuration;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Loop;

public class DebugModeSpec(ITestOutputHelper output)
    : AioTestKit(output, virtualTime: false, config: ConfigurationFactory.ParseString("actors.asyncio.loops.test.debug = on"))
{
    [Fact]
    public async Task SlowStep_InDebugMode_LogsWarningNamingTheTask()   // asyncio EH5
    {
        Assert.True(Loop.Debug);
        Loop.SlowCallbackDuration = TimeSpan.FromMilliseconds(20);
        await EventFilter.Warning(contains: "blocker").ExpectOneAsync(async () =>
        {
            await RunAsync(async () =>
            {
                await Aio.CreateTask(async () => { await Aio.Sleep(0); Thread.Sleep(60); }, name: "blocker");
            });
        });
    }
}
