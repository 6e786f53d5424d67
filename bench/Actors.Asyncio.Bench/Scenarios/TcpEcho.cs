using System.Buffers.Binary;
using Actors.Asyncio.Bench.Baselines;
using Actors.Asyncio.Bench.Harness;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>(7) TCP servers on 127.0.0.1 port 0, issue 6's method: one load generator (<see cref="TcpLoadGenerator"/>,
/// plain .NET sockets in its own process) hits each implementation's servers in turn: 64-byte request/response over
/// 50 connections and over 1 (req/s), and one connection streaming 256 MiB into a sink that answers the byte count at
/// EOF (MB/s, 1 MB = 10^6 bytes). Issue 6: 50 conns ≥ 3× CPython and ≥ 0.8× raw Akka.IO, 1 conn ≥ 1.4×, streaming ≥ 2.5×.</summary>
public sealed class TcpEcho : IScenario
{
    internal const int MessageSize = 64;
    internal const int Chunk = 64 * 1024;

    /// <summary>The three TCP measurements (also <see cref="TcpPairs"/>'s).</summary>
    internal static IReadOnlyList<Metric> TcpMetrics { get; } =
    [
        Metric.Rate("req_per_s_50c", "50 conns req/s"),
        Metric.Rate("req_per_s_1c", "1 conn req/s"),
        Metric.Rate("stream_mb_per_s", "streaming MB/s"),
    ];

    /// <inheritdoc />
    public string Name => "tcp_echo";

    /// <inheritdoc />
    public string Title => "TCP servers under one load generator: 50 connections × 64-byte request/response, 1 connection, one connection streaming 256 MiB";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics => TcpMetrics;

    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } =
    [
        new(Impl.Aio, OnAio),
        new(Impl.DotNet, OnSockets, "System.Net.Sockets.Socket servers, one async echo loop per connection, TCP_NODELAY"),
        new(Impl.Akka, OnAkka, "Akka.IO Tcp server actors (a handler actor per connection, push mode, maximum-frame-size 64 KiB as ours)"),
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

    /// <summary>The sink's handler: counts bytes to EOF, answers the count (8 bytes, big-endian) and closes.</summary>
    internal static async Task Sink(AioStreamReader rd, AioStreamWriter wr)
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

    private static Task<Sample> OnAio(BenchContext ctx) => ctx.OnLoop(async () =>
    {
        await using var echo = await Aio.StartServer(Echo, "127.0.0.1", 0, backlog: 512);
        await using var sink = await Aio.StartServer(Sink, "127.0.0.1", 0);
        // A plain .NET Task awaited inside a task: the loop keeps serving both servers meanwhile.
        return await TcpLoadGenerator.RunAsync(ctx, echo.Endpoints[0].Port, sink.Endpoints[0].Port);
    });

    private static async Task<Sample> OnSockets(BenchContext ctx)
    {
        await using var echo = SocketServer.Start(sink: false);
        await using var sink = SocketServer.Start(sink: true);
        return await TcpLoadGenerator.RunAsync(ctx, echo.Port, sink.Port);
    }

    private static async Task<Sample> OnAkka(BenchContext ctx)
    {
        var echo = await AkkaIoEcho.StartServer(ctx.System, sink: false, maxFrameSize: Chunk);
        try
        {
            var sink = await AkkaIoEcho.StartServer(ctx.System, sink: true, maxFrameSize: Chunk);
            try { return await TcpLoadGenerator.RunAsync(ctx, echo.Port, sink.Port); }
            finally { await AkkaIoEcho.StopServer(sink.Server, sink.Unbound); }
        }
        finally { await AkkaIoEcho.StopServer(echo.Server, echo.Unbound); }
    }
}
