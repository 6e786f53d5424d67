using Actors.Asyncio.Examples;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Examples;

public class SubprocessSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task RunAsync_Child_PrintsItsOutputAndExitCodeZero()   // guide §4.3
    {
        var printed = new StringWriter();
        int? code = await RunAsync(() => SubprocessExample.RunAsync(printed));

        Assert.Equal(0, code);
        Assert.Equal(["[stdout]:", "output from the subprocess", "subprocess exit code: 0"], SayAfterSpec.Lines(printed));
    }

    [Fact]
    public async Task RunAsync_MissingProgram_PrintsTheGuidesNotFoundMessage()   // guide §4.3: except FileNotFoundError
    {
        var printed = new StringWriter();
        int? code = await RunAsync(() => SubprocessExample.RunAsync(printed, "no-such-program-aio-example", []));

        Assert.Null(code);
        Assert.Equal(["error: command not found. Make sure it is on your PATH, or give its full path."], SayAfterSpec.Lines(printed));
    }
}
