using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Streams;

// Socket tests run in real time (virtualTime: false): real I/O is what they exercise. No test sleeps to assert
// something; waits are on events, under the TestKit's 30 s guard.
public class AioServerSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: false)
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string S(byte[] b) => Encoding.UTF8.GetString(b);

    private static async Task Echo(AioStreamReader r, AioStreamWriter w)
    {
        while (true)
        {
            var data = await r.ReadAsync(65536);
            if (data.Length == 0) break;
            w.Write(data);
            await w.DrainAsync();
        }
        w.Close();
    }

    [Fact]   // asyncio SV1, SV2: test_streams.test_open_connection, test_start_server
    public async Task OpenConnection_ToEchoServer_RoundTripsLinesAndSeesEof()
    {
        var (line, rest, peer, sock) = await RunAsync(async () =>
        {
            await using var server = await Aio.StartServer(Echo, "127.0.0.1", 0);
            int port = server.Endpoints[0].Port;
            Assert.NotEqual(0, port);
            var (reader, writer) = await Aio.OpenConnection("127.0.0.1", port);
            writer.Write(B("hello\n"));
            writer.WriteLines([B("a"), B("b\n")]);
            await writer.DrainAsync();
            var l1 = await reader.ReadLineAsync();
            var l2 = await reader.ReadLineAsync();
            writer.WriteEof();
            var tail = await reader.ReadAsync();   // to EOF: the server closes after our EOF
            var p = (IPEndPoint)writer.GetExtraInfo("peername")!;
            var s = (IPEndPoint)writer.GetExtraInfo("sockname")!;
            writer.Close();
            await writer.WaitClosedAsync();
            Assert.True(reader.AtEof);
            return (S(l1), S(l2) + "|" + S(tail), p, s);
        });
        Assert.Equal("hello\n", line);
        Assert.Equal("ab\n|", rest);
        Assert.Equal(IPAddress.Loopback, peer.Address);
        Assert.Equal(IPAddress.Loopback, sock.Address);
        Assert.NotEqual(peer.Port, sock.Port);
    }

    [Fact]   // asyncio SV1: ConnectionRefusedError
    public async Task OpenConnection_NothingListening_ThrowsSocketExceptionConnectionRefused()
    {
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); port = ((IPEndPoint)l.LocalEndpoint).Port; l.Stop(); }
        var e = await RunAsync(async () => await Assert.ThrowsAsync<SocketException>(() => Aio.OpenConnection("127.0.0.1", port)));
        Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
    }

    [Fact]
    public async Task OpenConnection_UnknownHost_ThrowsSocketException()
    {
        var e = await RunAsync(async () => await Assert.ThrowsAnyAsync<SocketException>(() => Aio.OpenConnection("no-such-host.invalid", 80)));
        Assert.NotEqual(SocketError.Success, e.SocketErrorCode);
    }
}
