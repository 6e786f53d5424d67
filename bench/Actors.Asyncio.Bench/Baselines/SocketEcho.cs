using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Actors.Asyncio.Bench.Harness;
using Actors.Asyncio.Bench.Scenarios;

namespace Actors.Asyncio.Bench.Baselines;

/// <summary>The plain .NET side of <see cref="TcpEcho"/>: raw sockets, async/await on the thread pool.</summary>
internal static class SocketEcho
{
    public static async Task<Sample> RunAsync(BenchContext ctx)
    {
        var (conns, perConn, one, streamBytes) = TcpEcho.Size(ctx);
        double many, single, mbps;
        await using (var echo = SocketServer.Start(sink: false))
        {
            many = await ReqRate(echo.Port, conns, perConn);
            single = await ReqRate(echo.Port, 1, one);
        }
        await using (var sink = SocketServer.Start(sink: true))
        {
            using var s = await Connect(sink.Port);
            var chunk = new byte[TcpEcho.Chunk];
            var sw = Measure.Start();
            for (long sent = 0; sent < streamBytes; sent += chunk.Length) await SendAll(s, chunk);
            s.Shutdown(SocketShutdown.Send);
            var reply = new byte[8];
            await ReceiveExactly(s, reply);
            var elapsed = sw.Elapsed;
            long got = BinaryPrimitives.ReadInt64BigEndian(reply);
            if (got != streamBytes) throw new InvalidOperationException($"sink counted {got} bytes, expected {streamBytes}");
            mbps = Measure.MBps(streamBytes, elapsed);
        }
        return new Sample { ["req_per_s_50c"] = many, ["req_per_s_1c"] = single, ["stream_mb_per_s"] = mbps };
    }

    private static async Task<double> ReqRate(int port, int conns, int per)
    {
        var sw = Measure.Start();
        var clients = new Task[conns];
        for (int c = 0; c < conns; c++) clients[c] = Task.Run(() => Client(port, per));
        await Task.WhenAll(clients);
        return Measure.Rate((long)conns * per, sw.Elapsed);
    }

    private static async Task Client(int port, int n)
    {
        using var s = await Connect(port);
        var reply = new byte[TcpEcho.MessageSize];
        for (int i = 0; i < n; i++)
        {
            await SendAll(s, TcpEcho.Request);
            await ReceiveExactly(s, reply);
        }
        s.Shutdown(SocketShutdown.Both);
    }

    private static async Task<Socket> Connect(int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return s;
    }

    internal static async Task SendAll(Socket s, ReadOnlyMemory<byte> data)
    {
        while (data.Length > 0)
        {
            int n = await s.SendAsync(data, SocketFlags.None);
            data = data[n..];
        }
    }

    internal static async Task ReceiveExactly(Socket s, Memory<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int n = await s.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0) throw new EndOfStreamException($"peer closed with {buffer.Length} bytes still expected");
            buffer = buffer[n..];
        }
    }
}
