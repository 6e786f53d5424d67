namespace Actors.Asyncio.Bench.Harness;

/// <summary>What one implementation of one scenario produced over all repetitions.</summary>
public sealed class ImplResult
{
    /// <summary>How the cell is to be read.</summary>
    public enum Outcome
    {
        /// <summary>At least one repetition produced every metric.</summary>
        Measured,
        /// <summary>The capability has not landed in this library yet.</summary>
        Pending,
        /// <summary>The implementation cannot run here (python3 missing, no script).</summary>
        Unavailable,
        /// <summary>A repetition threw or timed out.</summary>
        Failed,
    }

    /// <summary>The cell's state.</summary>
    public required Outcome Status { get; init; }

    /// <summary>Median of each metric over the repetitions.</summary>
    public IReadOnlyDictionary<string, double> Medians { get; init; } = new Dictionary<string, double>();

    /// <summary>Every repetition's sample, in order.</summary>
    public IReadOnlyList<Sample> Samples { get; init; } = [];

    /// <summary>Why it is pending/unavailable/failed, or a footnote.</summary>
    public string? Message { get; init; }
}

/// <summary>All implementations' results for one scenario.</summary>
public sealed record ScenarioResult(IScenario Scenario, IReadOnlyDictionary<Impl, ImplResult> ByImpl);
