using Actors.Asyncio.Bench.Harness;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>placeholder</summary>
public sealed class TcpEcho : IScenario
{
    /// <inheritdoc />
    public string Name => "tcp_echo";
    /// <inheritdoc />
    public string Title => "TCP echo";
    /// <inheritdoc />
    public IReadOnlyList<Metric> Metrics { get; } = [Metric.Rate("req_per_s_50c", "50 conns req/s")];
    /// <inheritdoc />
    public IReadOnlyList<ImplRun> Runs { get; } = [ImplRun.Pending(Impl.Aio, "streams")];
}
