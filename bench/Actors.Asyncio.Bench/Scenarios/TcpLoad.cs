using System.Security.Cryptography;
using Actors.Asyncio.Bench.Harness;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>(7b) The load test of issue 6: 1,000 concurrent connections on 127.0.0.1 echo pseudo-random payloads
/// (1 B–4 KiB) for 20 s, byte-exact (a SHA-256 of everything sent is compared with one of everything received on every
/// connection; the CPython script does the same with hashlib); it stops by itself at the deadline. Measures the echoed bytes per second; a mismatch fails the run.</summary>
public sealed class TcpLoad : IScenario
{
    /// <inheritdoc />
    public string Name => "tcp_load";

    /// <inheritdoc />
    public string Title => "TCP load: 1,000 concurrent connections, byte-exact echo with checksums, held 20 s";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics { get; } =
    [
        Metric.Rate("echo_mb_per_s", "1,000 conns echoed MB/s"),
        Metric.Rate("round_trips_per_s", "1,000 conns round trips/s"),
    ];

    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } =
    [
        new(Impl.Aio, OnAio),
    ];

    private static Task<Sample> OnAio(BenchContext ctx)
    {
        int conns = ctx.Pick(1000, 20);
        double seconds = ctx.Pick(20.0, 0.3);
        return ctx.OnLoop(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var server = await Aio.StartServer(TcpEcho.Echo, "127.0.0.1", 0, backlog: 1024);
            long bytes = 0, trips = 0, mismatches = 0;
            var sw = Measure.Start();
            try
            {
                int port = server.Endpoints[0].Port;
                double deadline = loop.Time() + seconds;
                var clients = Enumerable.Range(0, conns).Select(c => Aio.CreateTask(async () =>
                {
                    var rnd = new Random(c);
                    var (r, w) = await Aio.OpenConnection("127.0.0.1", port);
                    // Incremental hashes are order-sensitive: a reordered, lost or duplicated byte changes them.
                    using var sent = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    using var received = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    var payload = new byte[4096];
                    while (loop.Time() < deadline)
                    {
                        int n = rnd.Next(1, payload.Length + 1);
                        rnd.NextBytes(payload.AsSpan(0, n));
                        sent.AppendData(payload, 0, n);
                        w.Write(payload.AsSpan(0, n).ToArray());
                        await w.DrainAsync();
                        received.AppendData(await r.ReadExactlyAsync(n));
                        bytes += n;
                        trips++;
                    }
                    if (!sent.GetHashAndReset().AsSpan().SequenceEqual(received.GetHashAndReset())) mismatches++;
                    w.Close();
                    await w.WaitClosedAsync();
                })).ToList();
                await Sleeps.JoinAll(clients);
            }
            finally
            {
                server.Close();
                await server.WaitClosedAsync();
            }
            var elapsed = sw.Elapsed;
            if (mismatches != 0) throw new InvalidOperationException($"{mismatches} of {conns} connections echoed different bytes than they sent");
            return new Sample
            {
                ["echo_mb_per_s"] = Measure.MBps(bytes, elapsed),
                ["round_trips_per_s"] = Measure.Rate(trips, elapsed),
            };
        });
    }
}
