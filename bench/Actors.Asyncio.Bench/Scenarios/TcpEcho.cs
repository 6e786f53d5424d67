using System.Buffers.Binary;
using Actors.Asyncio.Bench.Baselines;
using Actors.Asyncio.Bench.Harness;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>(7) TCP on 127.0.0.1 port 0: 64-byte request/response over 50 connections and over 1 (req/s), and one
/// connection streaming 256 MiB into a sink that answers the byte count at EOF (MB/s, 1 MB = 10^6 bytes)
/// (issue 6: 50 conns ≥ 3× CPython and ≥ 0.8× raw Akka.IO, 1 conn ≥ 1.4×, streaming ≥ 2.5×).</summary>
public sealed class TcpEcho : IScenario
{
    internal const int MessageSize = 64;
    internal const int Chunk = 64 * 1024;

    /// <inheritdoc />
    public string Name => "tcp_echo";

    /// <inheritdoc />
    public string Title => "TCP echo: 50 connections × 64-byte request/response, 1 connection, one connection streaming 256 MiB";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics { get; } =
    [
        Metric.Rate("req_per_s_50c", "50 conns req/s"),
        Metric.Rate("req_per_s_1c", "1 conn req/s"),
        Metric.Rate("stream_mb_per_s", "streaming MB/s"),
    ];

    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } =
    [
        new(Impl.Aio, OnAio),
        new(Impl.DotNet, SocketEcho.RunAsync, "System.Net.Sockets.Socket, one async echo loop per connection, TCP_NODELAY"),
        new(Impl.Akka, AkkaIoEcho.RunAsync, "Akka.IO Tcp actors on both sides (echo handler per connection; Write with ack for streaming)"),
    ];

    /// <summary>The counts: connections, requests per connection, requests on the single connection, streamed bytes.</summary>
    internal static (int Conns, int PerConn, int One, long Stream) Size(BenchContext ctx) =>
        (ctx.Pick(50, 5), ctx.Pick(400, 50), ctx.Pick(10_000, 200), ctx.Pick(256, 4) * 1024L * 1024L);

    internal static byte[] Request { get; } = Enumerable.Repeat((byte)'x', MessageSize).ToArray();

    internal static byte[] CountReply(long total)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, total);
        return b;
    }

    /// <summary>The echo server's connection handler (asyncio's client_connected_cb), shared with <see cref="TcpLoad"/>.</summary>
    internal static async Task Echo(AioStreamReader rd, AioStreamWriter wr)
    {
        while (true)
        {
            byte[] data = await rd.ReadAsync(65536);
            if (data.Length == 0) break;
            wr.Write(data);
            await wr.DrainAsync();
        }
        wr.Close();
    }

    private static Task<Sample> OnAio(BenchContext ctx)
    {
        var (conns, perConn, one, streamBytes) = Size(ctx);
        return ctx.OnLoop(async () =>
        {
            static async Task Sink(AioStreamReader rd, AioStreamWriter wr)
            {
                long total = 0;
                while (true)
                {
                    byte[] data = await rd.ReadAsync(65536);
                    if (data.Length == 0) break;
                    total += data.Length;
                }
                wr.Write(CountReply(total));
                await wr.DrainAsync();
                wr.Close();
            }
            static async Task Client(int port, int n)
            {
                var (r, w) = await Aio.OpenConnection("127.0.0.1", port);
                for (int i = 0; i < n; i++)
                {
                    w.Write(Request);
                    await w.DrainAsync();
                    await r.ReadExactlyAsync(MessageSize);
                }
                w.Close();
                await w.WaitClosedAsync();
            }
            static async Task<double> ReqRate(int port, int conns, int per)
            {
                var sw = Measure.Start();
                var clients = new List<AioTask>(conns);
                for (int c = 0; c < conns; c++) clients.Add(Aio.CreateTask(() => Client(port, per)));
                await Sleeps.JoinAll(clients);
                return Measure.Rate((long)conns * per, sw.Elapsed);
            }

            var server = await Aio.StartServer(Echo, "127.0.0.1", 0);
            double many, single;
            try
            {
                int port = server.Endpoints[0].Port;
                many = await ReqRate(port, conns, perConn);
                single = await ReqRate(port, 1, one);
            }
            finally
            {
                server.Close();
                await server.WaitClosedAsync();
            }

            var sink = await Aio.StartServer(Sink, "127.0.0.1", 0);
            double mbps;
            try
            {
                var (r, w) = await Aio.OpenConnection("127.0.0.1", sink.Endpoints[0].Port);
                var chunk = new byte[Chunk];
                var sw = Measure.Start();
                for (long sent = 0; sent < streamBytes; sent += Chunk)
                {
                    w.Write(chunk);
                    await w.DrainAsync();
                }
                w.WriteEof();
                long got = BinaryPrimitives.ReadInt64BigEndian(await r.ReadExactlyAsync(8));
                var elapsed = sw.Elapsed;
                if (got != streamBytes) throw new InvalidOperationException($"sink counted {got} bytes, expected {streamBytes}");
                mbps = Measure.MBps(streamBytes, elapsed);
                w.Close();
                await w.WaitClosedAsync();
            }
            finally
            {
                sink.Close();
                await sink.WaitClosedAsync();
            }
            return new Sample { ["req_per_s_50c"] = many, ["req_per_s_1c"] = single, ["stream_mb_per_s"] = mbps };
        });
    }
}
