namespace Actors.Asyncio.Bench.Harness;

/// <summary>One benchmark scenario, measured with several implementations. The CPython side is the script
/// bench/python/<see cref="Name"/>.py (found and run by the harness); the others are <see cref="Runs"/>.</summary>
public interface IScenario
{
    /// <summary>Command-line name, and the CPython script's file name without ".py".</summary>
    string Name { get; }

    /// <summary>What is measured, with the full-size counts.</summary>
    string Title { get; }

    /// <summary>The quantities each run reports (keys of its <see cref="Sample"/>).</summary>
    IReadOnlyList<Metric> Metrics { get; }

    /// <summary>The in-process implementations, <see cref="Impl.Aio"/> first. A run whose <see cref="ImplRun.Run"/> is null
    /// is a capability that has not landed yet: the table shows "pending".</summary>
    IReadOnlyList<ImplRun> Runs { get; }
}

/// <summary>One implementation of a scenario: one call is one repetition, returning its measurements.</summary>
public sealed record ImplRun(Impl Impl, Func<BenchContext, Task<Sample>>? Run, string? Note = null)
{
    /// <summary>The capability has not landed: shown as "pending", never faked.</summary>
    public static ImplRun Pending(Impl impl, string what) => new(impl, null, what);
}

/// <summary>The measurements of one repetition, by <see cref="Metric.Key"/>.</summary>
public sealed class Sample : Dictionary<string, double>
{
    /// <summary>An empty sample.</summary>
    public Sample() : base(StringComparer.Ordinal) { }
}
