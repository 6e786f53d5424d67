namespace Actors.Asyncio.Bench.Harness;

/// <summary>One measured quantity of a scenario. <paramref name="Key"/> is also the key in the CPython script's JSON.</summary>
public sealed record Metric(string Key, string Label, string Unit, bool HigherIsBetter)
{
    /// <summary>A throughput or rate: more is better.</summary>
    public static Metric Rate(string key, string label, string unit = "") => new(key, label, unit, true);

    /// <summary>A time or a size: less is better.</summary>
    public static Metric Cost(string key, string label, string unit) => new(key, label, unit, false);
}
