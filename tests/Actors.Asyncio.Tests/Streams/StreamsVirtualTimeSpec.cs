using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Streams;

// Socket I/O under the TestKit's virtual clock: a read or drain waiting on the socket counts as work in flight, so the
// clock does not jump to the next timer while the bytes are on their way.
[Collection(SocketsCollection.Name)]
public class StreamsVirtualTimeSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task ReadWaitingForSocketData_KeepsTheVirtualClockFromJumpingPastIt()
    {
        var (line, clockAtRead, timerFiredFirst) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            bool fired = false;
            loop.CallLater(3600, () => fired = true);   // would be "now" at once if the loop ignored the socket
            await using var server = await Aio.StartServer(async (r, w) =>
            {
                w.Write(await r.ReadLineAsync());
                await w.DrainAsync();
                w.Close();
            }, "127.0.0.1", 0);
            var (reader, writer) = await Aio.OpenConnection("127.0.0.1", server.Endpoints[0].Port);
            writer.Write(Encoding.ASCII.GetBytes("ping\n"));
            var got = await reader.ReadLineAsync();
            double t = loop.Time();
            bool f = fired;
            writer.Close();
            await writer.WaitClosedAsync();
            return (Encoding.ASCII.GetString(got), t, f);
        });
        Assert.Equal("ping\n", line);
        Assert.True(clockAtRead < 3600, $"the virtual clock jumped to {clockAtRead} while a read waited on the socket");
        Assert.False(timerFiredFirst);
    }
}
