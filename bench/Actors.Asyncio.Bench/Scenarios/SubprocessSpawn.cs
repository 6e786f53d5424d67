using System.Diagnostics;
using Actors.Asyncio.Bench.Harness;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>(8) N runs of <c>true</c>, 8 at a time (8 worker tasks), and S bytes read from a child's stdout pipe
/// (<c>head -c S /dev/zero</c>) (issue 7: ≥ 1.4× CPython on both).</summary>
public sealed class SubprocessSpawn : IScenario
{
    private const int Parallel = 8;

    /// <inheritdoc />
    public string Name => "subprocess_spawn";

    /// <inheritdoc />
    public string Title => "200 subprocesses 8 at a time, and 50 MB through a pipe";

    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics { get; } =
    [
        Metric.Rate("spawns_per_s", "spawns/s"),
        Metric.Rate("pipe_mb_per_s", "pipe MB/s"),
    ];

    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } =
    [
        new(Impl.Aio, OnAio),
        new(Impl.DotNet, OnDotNet, "System.Diagnostics.Process, WaitForExitAsync, stdout BaseStream.ReadAsync"),
    ];

    private static (int N, long PipeBytes) Size(BenchContext ctx) => (ctx.Pick(200, 8), ctx.Pick(50_000_000, 2_000_000));

    private static Task<Sample> OnAio(BenchContext ctx)
    {
        var (n, pipeBytes) = Size(ctx);
        return ctx.OnLoop(async () =>
        {
            int started = 0;
            var sw = Measure.Start();
            var workers = new List<AioTask>(Parallel);
            for (int w = 0; w < Parallel; w++)
                workers.Add(Aio.CreateTask(async () =>
                {
                    while (started < n)
                    {
                        started++;
                        var p = await Aio.CreateSubprocessExec("true", []);
                        int rc = await p.WaitAsync();
                        if (rc != 0) throw new InvalidOperationException($"true exited with {rc}");
                    }
                }));
            await Sleeps.JoinAll(workers);
            double spawns = Measure.Rate(n, sw.Elapsed);

            sw.Restart();
            var head = await Aio.CreateSubprocessExec("head", ["-c", pipeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "/dev/zero"],
                stdout: Redirect.Pipe);
            long total = 0;
            while (true)
            {
                byte[] chunk = await head.Stdout!.ReadAsync(65536);
                if (chunk.Length == 0) break;
                total += chunk.Length;
            }
            await head.WaitAsync();
            var elapsed = sw.Elapsed;
            if (total != pipeBytes) throw new InvalidOperationException($"read {total} bytes, expected {pipeBytes}");
            return new Sample { ["spawns_per_s"] = spawns, ["pipe_mb_per_s"] = Measure.MBps(total, elapsed) };
        });
    }

    private static async Task<Sample> OnDotNet(BenchContext ctx)
    {
        var (n, pipeBytes) = Size(ctx);
        int started = 0;
        var sw = Measure.Start();
        var workers = new Task[Parallel];
        for (int w = 0; w < Parallel; w++)
            workers[w] = Task.Run(async () =>
            {
                while (Interlocked.Increment(ref started) <= n)
                {
                    using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })
                                  ?? throw new InvalidOperationException("cannot start true");
                    await p.WaitForExitAsync();
                    if (p.ExitCode != 0) throw new InvalidOperationException($"true exited with {p.ExitCode}");
                }
            });
        await Task.WhenAll(workers);
        double spawns = Measure.Rate(n, sw.Elapsed);

        sw.Restart();
        var psi = new ProcessStartInfo("head") { UseShellExecute = false, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(pipeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("/dev/zero");
        using var head = Process.Start(psi) ?? throw new InvalidOperationException("cannot start head");
        var stream = head.StandardOutput.BaseStream;
        var buffer = new byte[65536];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0) total += read;
        await head.WaitForExitAsync();
        var elapsed = sw.Elapsed;
        if (total != pipeBytes) throw new InvalidOperationException($"read {total} bytes, expected {pipeBytes}");
        return new Sample { ["spawns_per_s"] = spawns, ["pipe_mb_per_s"] = Measure.MBps(total, elapsed) };
    }
}
