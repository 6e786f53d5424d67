using System.Globalization;
using System.Text;

namespace Actors.Asyncio.Bench.Harness;

/// <summary>Renders results as one Markdown table: a row per scenario metric, a column per implementation, then
/// this library's ratio to each other implementation.</summary>
public static class ResultTable
{
    /// <summary>The table, its legend and its footnotes.</summary>
    public static string Render(IReadOnlyList<ScenarioResult> results)
    {
        var impls = Enum.GetValues<Impl>().Where(i => results.Any(r => r.ByImpl.ContainsKey(i))).ToList();
        var others = impls.Where(i => i != Impl.Aio).ToList();
        var sb = new StringBuilder();
        sb.Append("| Scenario | Metric |");
        foreach (var i in impls) sb.Append(' ').Append(ImplNames.Of(i)).Append(" |");
        foreach (var i in others) sb.Append(" vs ").Append(ImplNames.Of(i)).Append(" |");
        sb.AppendLine();
        sb.Append("|---|---|");
        foreach (var _ in impls) sb.Append("---:|");
        foreach (var _ in others) sb.Append("---:|");
        sb.AppendLine();

        var notes = new List<string>();
        foreach (var r in results)
        {
            foreach (var m in r.Scenario.Metrics)
            {
                sb.Append("| ").Append(r.Scenario.Name).Append(" | ").Append(m.Label).Append(m.Unit.Length > 0 ? $" ({m.Unit})" : "").Append(" |");
                foreach (var i in impls) sb.Append(' ').Append(Cell(r, i, m)).Append(" |");
                foreach (var i in others) sb.Append(' ').Append(Ratio(r, i, m)).Append(" |");
                sb.AppendLine();
            }
            foreach (var (impl, res) in r.ByImpl)
                if (res.Message != null && res.Status != ImplResult.Outcome.Pending)
                    notes.Add($"{r.Scenario.Name}, {ImplNames.Of(impl)}: {(res.Status == ImplResult.Outcome.Measured ? "" : res.Status + ": ")}{res.Message}");
        }
        sb.AppendLine();
        sb.AppendLine("Values are medians over the repetitions. \"vs X\" = how many times better Actors.Asyncio is than X on that metric " +
                      "(throughput: ours / theirs; time and memory: theirs / ours), so > 1 means ahead. " +
                      "\"pending\" = the capability has not landed in Actors.Asyncio yet; \"—\" = not measured for that implementation.");
        if (notes.Count > 0)
        {
            sb.AppendLine();
            foreach (var n in notes) sb.Append("- ").AppendLine(n.Replace('|', '/'));
        }
        return sb.ToString();
    }

    private static string Cell(ScenarioResult r, Impl i, Metric m)
    {
        if (!r.ByImpl.TryGetValue(i, out var res)) return "—";
        return res.Status switch
        {
            ImplResult.Outcome.Measured => FormatValue(res.Medians[m.Key]),
            ImplResult.Outcome.Pending => "pending",
            ImplResult.Outcome.Unavailable => "n/a",
            _ => "failed",
        };
    }

    private static string Ratio(ScenarioResult r, Impl other, Metric m)
    {
        if (!r.ByImpl.TryGetValue(Impl.Aio, out var ours) || ours.Status != ImplResult.Outcome.Measured) return "—";
        if (!r.ByImpl.TryGetValue(other, out var theirs) || theirs.Status != ImplResult.Outcome.Measured) return "—";
        double a = ours.Medians[m.Key], b = theirs.Medians[m.Key];
        double ratio = m.HigherIsBetter ? a / b : b / a;
        return double.IsFinite(ratio) ? ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—";
    }

    /// <summary>Three significant digits, thousands separated.</summary>
    public static string FormatValue(double v)
    {
        if (double.IsNaN(v)) return "NaN";
        double abs = Math.Abs(v);
        string f = abs >= 1000 ? "#,0" : abs >= 100 ? "0" : abs >= 10 ? "0.0" : abs >= 1 ? "0.00" : abs >= 0.01 ? "0.000" : "0.00000";
        return v.ToString(f, CultureInfo.InvariantCulture);
    }
}
