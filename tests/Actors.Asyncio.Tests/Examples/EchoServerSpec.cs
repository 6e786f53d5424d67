using Actors.Asyncio.Examples;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Examples;

[Collection(SocketsCollection.Name)]
public class EchoServerSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task RunAsync_TwoClients_GetBackTheBytesTheySent()   // guide §4.4
    {
        var printed = new StringWriter();
        var replies = await RunAsync(() => EchoServerExample.RunAsync(printed));

        Assert.Equal(["Hello, asyncio server!", "This is the second message."], replies);
        var lines = SayAfterSpec.Lines(printed);
        Assert.StartsWith("server: serving on 127.0.0.1:", lines[0]);
        Assert.Equal(2, lines.Count(l => l.StartsWith("server: connection from 127.0.0.1:", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l.StartsWith("server: closing the connection from", StringComparison.Ordinal)));
        Assert.Contains("client: received 'This is the second message.'", lines);
        Assert.Equal("server: closed", lines[^1]);
    }

    [Fact]
    public async Task TcpEchoClient_NoServer_ReportsConnectionRefused()   // guide §4.4: except ConnectionRefusedError
    {
        // A port that was just free: bind one, note it, release it.
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        int port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var printed = new StringWriter();
        var reply = await RunAsync(() => EchoServerExample.TcpEchoClient(printed, port, "anyone?"));

        Assert.Null(reply);
        Assert.Equal(["client: connection refused. Make sure the server is running."], SayAfterSpec.Lines(printed));
    }
}
