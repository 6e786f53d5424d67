using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Streams;

// Socket tests run in real time (virtualTime: false): real I/O is what they exercise. No test sleeps to assert
// something; waits are on events, under the TestKit's 30 s guard.
[Collection(SocketsCollection.Name)]
public class AioServerSpec : AioTestKit
{
    private readonly ITestOutputHelper _out;

    public AioServerSpec(ITestOutputHelper output) : base(output, virtualTime: false) => _out = output;

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

    [Fact]   // asyncio SW4: write_eof half-closes; the peer reads EOF and can still write back
    public async Task WriteEof_PeerReadsEof_AndCanStillReply()
    {
        var (reply, canEof) = await RunAsync(async () =>
        {
            await using var server = await Aio.StartServer(async (r, w) =>
            {
                var all = await r.ReadAsync(-1);          // until the client's EOF
                w.Write(B($"got {all.Length} bytes"));
                await w.DrainAsync();
                w.Close();
            }, "127.0.0.1", 0);
            var (reader, writer) = await Aio.OpenConnection("127.0.0.1", server.Endpoints[0].Port);
            writer.Write(new byte[100_000]);
            bool can = writer.CanWriteEof;
            writer.WriteEof();
            Assert.Throws<InvalidOperationException>(() => writer.Write(B("late")));
            var answer = await reader.ReadAsync(-1);
            await writer.WaitClosedAsync();
            return (S(answer), can);
        });
        Assert.Equal("got 100000 bytes", reply);
        Assert.True(canEof);
    }

    [Fact]   // asyncio SW2, SW3: close is idempotent; drain/write after close raise instead of hanging
    public async Task DrainAndWrite_AfterClose_Throw_AndWaitClosedCompletes()
    {
        var (drainError, writeError, closing) = await RunAsync(async () =>
        {
            await using var server = await Aio.StartServer(Echo, "127.0.0.1", 0);
            var (reader, writer) = await Aio.OpenConnection("127.0.0.1", server.Endpoints[0].Port);
            writer.Write(B("x"));
            writer.Close();
            writer.Close();
            bool c = writer.IsClosing;
            var d = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.DrainAsync());
            var w = Assert.Throws<InvalidOperationException>(() => writer.Write(B("y")));
            await writer.WaitClosedAsync();
            await writer.WaitClosedAsync();   // may be awaited again
            Assert.True(reader.AtEof || (await reader.ReadAsync(-1)).Length >= 0);
            return (d, w, c);
        });
        Assert.Contains("closed", drainError.Message);
        Assert.Contains("closed", writeError.Message);
        Assert.True(closing);
    }

    [Fact]   // asyncio SW3, test_drain_raises: a reset peer surfaces as an IOException on read and drain
    public async Task PeerReset_NextReadAndDrain_ThrowIOException()
    {
        var (readError, drainError) = await RunAsync(async () =>
        {
            var serverSide = Aio.GetRunningLoop().CreateFuture<(AioStreamReader, AioStreamWriter)>();
            await using var server = await Aio.StartServer((r, w) => { serverSide.SetResult((r, w)); return Task.CompletedTask; }, "127.0.0.1", 0);
            var (reader, writer) = await Aio.OpenConnection("127.0.0.1", server.Endpoints[0].Port);
            var (sr, sw) = await serverSide;
            writer.Abort();   // RST
            var re = await Assert.ThrowsAnyAsync<IOException>(() => sr.ReadAsync(100));
            Exception? de = null;
            for (int i = 0; i < 1000 && de == null; i++)
            {
                try { sw.Write(new byte[1024]); await sw.DrainAsync(); }
                catch (IOException e) { de = e; }
            }
            await Assert.ThrowsAnyAsync<IOException>(() => sw.WaitClosedAsync());
            return (re, de);
        });
        Assert.NotNull(readError);
        Assert.IsAssignableFrom<IOException>(drainError);
    }

    [Fact]   // asyncio SW1, test_multiple_drain: a peer that does not read holds DrainAsync; all drains are released together
    public async Task DrainAsync_PeerNotReading_WaitsAboveHighWater_AndReleasesAllWhenPeerReads()
    {
        var (pendingWhileBlocked, bufferedWhileBlocked, high, received) = await RunAsync(async () =>
        {
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var serverReader = Aio.GetRunningLoop().CreateFuture<AioStreamReader>();
            var total = Aio.GetRunningLoop().CreateFuture<long>();
            await using var server = await Aio.StartServer(async (r, w) =>
            {
                serverReader.SetResult(r);
                await go.Task;
                long n = 0;
                while (true) { var d = await r.ReadAsync(1 << 20); if (d.Length == 0) break; n += d.Length; }
                total.SetResult(n);
                w.Close();
            }, "127.0.0.1", 0);
            var (reader, writer) = await Aio.OpenConnection("127.0.0.1", server.Endpoints[0].Port);
            var sr = await serverReader;
            const int size = 64 << 20;   // far more than the kernel's socket buffers hold
            writer.Write(new byte[size]);
            var d1 = writer.DrainAsync();
            var d2 = writer.DrainAsync();
            while (!sr.IsPaused) await Aio.Sleep(0.005);   // the server's reader is full and has paused its socket
            bool pending = !d1.IsCompleted && !d2.IsCompleted;
            long buffered = writer.WriteBufferSize;
            go.SetResult();
            await d1;
            await d2;
            writer.WriteEof();
            return (pending, buffered, writer.HighWaterMark, await total);
        });
        Assert.True(pendingWhileBlocked);
        Assert.True(bufferedWhileBlocked > high);
        Assert.Equal(64L << 20, received);
    }

    [Fact]   // asyncio SV4, SV5 (3.12+): close stops accepting, live connections stay; wait_closed waits for them
    public async Task Close_StopsAccepting_KeepsLiveConnections_WaitClosedWaitsForThem()
    {
        var (echoAfterClose, refused, waitedUntilClientClosed, endpointsAfterClose) = await RunAsync(async () =>
        {
            var server = await Aio.StartServer(Echo, "127.0.0.1", 0);
            int port = server.Endpoints[0].Port;
            var (reader, writer) = await Aio.OpenConnection("127.0.0.1", port);
            writer.Write(B("before\n"));
            await reader.ReadLineAsync();
            server.Close();
            Assert.False(server.IsServing);
            int eps = server.Endpoints.Count;
            writer.Write(B("after\n"));
            var echoed = S(await reader.ReadLineAsync());
            var wait = server.WaitClosedAsync();
            // A newcomer is not served: refused outright (SocketException; the server's own listener closes at once,
            // LoopTcpListenerSpec pins that), or, through Akka.IO's listener (accepted-connections-on-loop = off), which
            // stays bound while connections live, reset after the connect (the read fails) or during it under load
            // (Akka.IO's connect fails: IOException).
            try
            {
                var (r2, _) = await Aio.OpenConnection("127.0.0.1", port);
                await Assert.ThrowsAnyAsync<IOException>(() => r2.ReadAsync(10));
            }
            catch (SocketException) { }
            catch (IOException) { }
            bool stillWaiting = !wait.IsCompleted;
            writer.Close();
            await wait;
            // Fully closed: the port is released.
            var refusedError = await Assert.ThrowsAsync<SocketException>(() => Aio.OpenConnection("127.0.0.1", port));
            return (echoed, refusedError.SocketErrorCode, stillWaiting, eps);
        });
        Assert.Equal("after\n", echoAfterClose);
        Assert.Equal(SocketError.ConnectionRefused, refused);
        Assert.True(waitedUntilClientClosed);
        Assert.Equal(0, endpointsAfterClose);
    }

    [Fact]   // asyncio SV3, test_unhandled_exception: the handler's exception goes to the loop's handler, only its connection closes
    public async Task HandlerException_IsReported_AndClosesOnlyThatConnection()
    {
        var reported = new List<string>();
        var (eofOfFailed, echoOfOther) = await RunAsync(async () =>
        {
            Loop.SetExceptionHandler((l, ctx) => reported.Add(ctx["message"] + ": " + (ctx["exception"] as Exception)?.Message));
            int n = 0;
            await using var server = await Aio.StartServer(async (r, w) =>
            {
                if (n++ == 0)
                {
                    await r.ReadLineAsync();
                    throw new InvalidOperationException("handler boom");
                }
                await Echo(r, w);
            }, "127.0.0.1", 0);
            int port = server.Endpoints[0].Port;
            var (r1, w1) = await Aio.OpenConnection("127.0.0.1", port);
            w1.Write(B("hi\n"));
            var eof = await r1.ReadAsync(10);      // the failed handler's connection is closed: EOF
            var (r2, w2) = await Aio.OpenConnection("127.0.0.1", port);
            w2.Write(B("still here\n"));
            var echo = S(await r2.ReadLineAsync());
            w1.Close(); w2.Close();
            Loop.SetExceptionHandler(null);
            return (eof.Length, echo);
        });
        Assert.Equal(0, eofOfFailed);
        Assert.Equal("still here\n", echoOfOther);
        Assert.Equal(["Unhandled exception in client_connected_cb: handler boom"], reported);
    }

    [Fact]   // asyncio SV7: serve_forever raises CancelledError when the server is closed elsewhere; twice -> error
    public async Task ServeForeverAsync_EndsWithCancelledWhenClosed_AndRejectsASecondCall()
    {
        var (second, first) = await RunAsync(async () =>
        {
            var server = await Aio.StartServer(Echo, "127.0.0.1", 0);
            var serving = Aio.CreateTask(() => server.ServeForeverAsync());
            await Aio.Sleep(0);
            var twice = await Assert.ThrowsAsync<InvalidOperationException>(() => server.ServeForeverAsync());
            server.Close();
            var e = await Assert.ThrowsAsync<CancelledException>(async () => await serving);
            await Assert.ThrowsAsync<InvalidOperationException>(() => server.ServeForeverAsync());
            return (twice, e);
        });
        Assert.Contains("already being awaited", second.Message);
        Assert.NotNull(first);
    }

    [Fact]   // memory bound: 200 MB to a handler that reads slowly; neither side buffers more than its limits
    public async Task SlowReader_200MB_BuffersStayBounded()
    {
        var (received, maxReaderBuffer, maxWriterBuffer) = await RunAsync(async () =>
        {
            var result = Aio.GetRunningLoop().CreateFuture<(long, int)>();
            await using var server = await Aio.StartServer(async (r, w) =>
            {
                long n = 0; int max = 0; int reads = 0;
                while (true)
                {
                    max = Math.Max(max, r.BufferSize);
                    var d = await r.ReadAsync(16 * 1024);
                    if (d.Length == 0) break;
                    n += d.Length;
                    if (++reads % 4 == 0) await Aio.Sleep(0);   // slower than the sender
                }
                result.SetResult((n, max));
                w.Close();
            }, "127.0.0.1", 0);
            var (_, writer) = await Aio.OpenConnection("127.0.0.1", server.Endpoints[0].Port);
            var chunk = new byte[256 * 1024];
            long maxW = 0;
            for (long sent = 0; sent < 200L << 20; sent += chunk.Length)
            {
                writer.Write(chunk);
                maxW = Math.Max(maxW, writer.WriteBufferSize);
                await writer.DrainAsync();
            }
            writer.WriteEof();
            var (n, max) = await result;
            writer.Close();
            return (n, max, maxW);
        });
        _out.WriteLine($"reader buffer max {maxReaderBuffer}, writer buffer max {maxWriterBuffer}");
        Assert.Equal(200L << 20, received);
        // Pull mode: at most 2 x limit (128 KiB) plus the one read in flight (a 64 KiB frame).
        Assert.InRange(maxReaderBuffer, 1, 2 * 64 * 1024 + 64 * 1024);
        Assert.InRange(maxWriterBuffer, 1, 64 * 1024 + 256 * 1024 + 64 * 1024);
    }

    [Fact]   // load: 1,000 concurrent connections echo byte-exact (checksums)
    public async Task ThousandConnections_EchoByteExact()
    {
        var mismatches = await RunAsync(async () =>
        {
            await using var server = await Aio.StartServer(Echo, "127.0.0.1", 0, backlog: 1024);
            int port = server.Endpoints[0].Port;
            var clients = Enumerable.Range(0, 1000).Select(i => Aio.CreateTask(async () =>
            {
                var payload = new byte[1000 + i * 7];
                new Random(i).NextBytes(payload);
                var (r, w) = await Aio.OpenConnection("127.0.0.1", port);
                w.Write(payload);
                await w.DrainAsync();
                var back = await r.ReadExactlyAsync(payload.Length);
                w.Close();
                await w.WaitClosedAsync();
                return System.Security.Cryptography.SHA256.HashData(back).AsSpan().SequenceEqual(System.Security.Cryptography.SHA256.HashData(payload)) ? 0 : 1;
            })).ToList();
            int bad = 0;
            foreach (var c in clients) bad += await c;
            return bad;
        });
        Assert.Equal(0, mismatches);
    }
}
