using System.Buffers.Binary;
using Actors.Asyncio.Bench.Baselines;
using Actors.Asyncio.Bench.Harness;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>(7c) TCP with both ends on one implementation: each implementation's own client talks to its own server
/// (our OpenConnection client against our StartServer, CPython's against CPython's, …). The same three measurements as
/// <see cref="TcpEcho"/>, so a client's cost shows next to the server-only figures of issue 6's method.</summary>
public sealed class TcpPairs : IScenario
{
    /// <inheritdoc />
    public string Name => "tcp_pairs";

    /// <inheritdoc />
    public string Title => "TCP, client and server of the same implementation: 50 connections, 1 connection, streaming 256 MiB";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics => TcpEcho.TcpMetrics;

    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } =
    [
        new(Impl.Aio, OnAio),
        new(Impl.DotNet, SocketEcho.RunAsync, "System.Net.Sockets.Socket, one async echo loop per connection, TCP_NODELAY"),
        new(Impl.Akka, AkkaIoEcho.RunAsync, "Akka.IO Tcp actors on both sides (echo handler per connection; Write with ack for streaming)"),
    ];
    private static Task<Sample> OnAio(BenchContext ctx)
    {
        var (conns, perConn, one, streamBytes) = TcpEcho.Size(ctx);
        return ctx.OnLoop(async () =>
        {
            static async Task Client(int port, int n)
            {
                var (r, w) = await Aio.OpenConnection("127.0.0.1", port);
                for (int i = 0; i < n; i++)
                {
                    w.Write(TcpEcho.Request);
                    await w.DrainAsync();
                    await r.ReadExactlyAsync(TcpEcho.MessageSize);
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

            var server = await Aio.StartServer(TcpEcho.Echo, "127.0.0.1", 0);
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

            var sink = await Aio.StartServer(TcpEcho.Sink, "127.0.0.1", 0);
            double mbps;
            try
            {
                var (r, w) = await Aio.OpenConnection("127.0.0.1", sink.Endpoints[0].Port);
                var chunk = new byte[TcpEcho.Chunk];
                var sw = Measure.Start();
                for (long sent = 0; sent < streamBytes; sent += TcpEcho.Chunk)
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
