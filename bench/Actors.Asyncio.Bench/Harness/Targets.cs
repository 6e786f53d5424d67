using System.Globalization;
using System.Text;

namespace Actors.Asyncio.Bench.Harness;

/// <summary>The performance targets of the issues, checked against a run: met / not met / pending.</summary>
public static class Targets
{
    /// <summary>One target: this library's median of <paramref name="Metric"/> in <paramref name="Scenario"/> must be at
    /// least <paramref name="Bound"/> times <paramref name="Versus"/>'s (a ratio, oriented so that more is better), or,
    /// when <paramref name="Versus"/> is null, at most (for costs) / at least (for rates) <paramref name="Bound"/> itself.</summary>
    public sealed record Target(string Issue, string Text, string Scenario, string Metric, Impl? Versus, double Bound);

    /// <summary>The targets quoted in issues 2, 4, 5, 6 and 7.</summary>
    public static IReadOnlyList<Target> All { get; } =
    [
        new("#2", "spawn + gather ≥ 5× CPython", "spawn_gather", "tasks_per_s", Impl.CPython, 5),
        new("#2", "Sleep(0) round trip ≥ 5× CPython", "ping_pong", "switches_per_s", Impl.CPython, 5),
        new("#2", "idle (sleeping) task ≤ 500 B", "sleeps", "bytes_per_task", null, 500),
        new("#2", "100k × 100 ms sleeps ≤ 0.5 s", "sleeps", "wall_s", null, 0.5),
        new("#4", "Wait(FirstCompleted) over 10k ≥ 3× CPython", "wait_first", "waits_per_s", Impl.CPython, 3),
        new("#4", "100k sequential WaitFor ≥ 3× CPython", "wait_for", "calls_per_s", Impl.CPython, 3),
        new("#5", "queue 1P/1C ≥ 2× CPython", "queue_throughput", "items_per_s_1p1c", Impl.CPython, 2),
        new("#5", "queue 4P/4C ≥ 2× CPython", "queue_throughput", "items_per_s_4p4c", Impl.CPython, 2),
        new("#5", "queue 1P/1C ahead of Nito", "queue_throughput", "items_per_s_1p1c", Impl.Nito, 1),
        new("#5", "queue 4P/4C ahead of Nito", "queue_throughput", "items_per_s_4p4c", Impl.Nito, 1),
        new("#5", "lock cycles ≥ 5× CPython", "lock_cycles", "cycles_per_s", Impl.CPython, 5),
        new("#5", "event: ≤ 500 B per waiting task", "event_wake", "bytes_per_task", null, 500),
        new("#5", "event: wake 100k ≤ 0.1 s", "event_wake", "wake_s", null, 0.1),
        new("#6", "TCP 50 conns ≥ 3× CPython", "tcp_echo", "req_per_s_50c", Impl.CPython, 3),
        new("#6", "TCP 50 conns ≥ 0.8× raw Akka.IO", "tcp_echo", "req_per_s_50c", Impl.Akka, 0.8),
        new("#6", "TCP 1 conn ≥ 1.4× CPython", "tcp_echo", "req_per_s_1c", Impl.CPython, 1.4),
        new("#6", "TCP streaming ≥ 2.5× CPython", "tcp_echo", "stream_mb_per_s", Impl.CPython, 2.5),
        new("#7", "subprocess spawns ≥ 1.4× CPython", "subprocess_spawn", "spawns_per_s", Impl.CPython, 1.4),
        new("#7", "subprocess pipe ≥ 1.4× CPython", "subprocess_spawn", "pipe_mb_per_s", Impl.CPython, 1.4),
    ];

    /// <summary>"met", "not met", "pending" or "not measured" for <paramref name="t"/>, with the figure it was judged on.</summary>
    public static (string Verdict, string Figure) Judge(Target t, IReadOnlyList<ScenarioResult> results)
    {
        var r = results.FirstOrDefault(x => x.Scenario.Name == t.Scenario);
        if (r == null) return ("not measured", "scenario not run");
        var metric = r.Scenario.Metrics.First(m => m.Key == t.Metric);
        if (!r.ByImpl.TryGetValue(Impl.Aio, out var ours) || ours.Status == ImplResult.Outcome.Pending)
            return ("pending", ours?.Message ?? "not landed");
        if (ours.Status != ImplResult.Outcome.Measured) return ("not measured", $"Actors.Asyncio {ours.Status}");
        double a = ours.Medians[t.Metric];
        if (t.Versus is not { } versus)
        {
            bool ok = metric.HigherIsBetter ? a >= t.Bound : a <= t.Bound;
            return (ok ? "met" : "not met", $"{ResultTable.FormatValue(a)} {metric.Unit}".TrimEnd());
        }
        if (!r.ByImpl.TryGetValue(versus, out var theirs) || theirs.Status != ImplResult.Outcome.Measured)
            return ("not measured", $"no {ImplNames.Of(versus)} figure");
        double b = theirs.Medians[t.Metric];
        double ratio = metric.HigherIsBetter ? a / b : b / a;
        return (ratio >= t.Bound ? "met" : "not met",
            $"{ratio.ToString("0.00", CultureInfo.InvariantCulture)}× ({ResultTable.FormatValue(a)} vs {ResultTable.FormatValue(b)})");
    }

    /// <summary>The targets as a Markdown table.</summary>
    public static string Render(IReadOnlyList<ScenarioResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Issue | Target | Verdict | Measured |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var t in All)
        {
            var (verdict, figure) = Judge(t, results);
            sb.Append("| ").Append(t.Issue).Append(" | ").Append(t.Text).Append(" | ").Append(verdict).Append(" | ")
              .Append(figure.Replace('|', '/')).AppendLine(" |");
        }
        return sb.ToString();
    }
}
