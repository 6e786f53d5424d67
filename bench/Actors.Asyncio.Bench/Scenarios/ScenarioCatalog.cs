using Actors.Asyncio.Bench.Harness;

namespace Actors.Asyncio.Bench.Scenarios;

/// <summary>Every scenario, in the order the issues number them. Add a new one here.</summary>
public static class ScenarioCatalog
{
    /// <summary>All scenarios.</summary>
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new SpawnGather(),
        new Sleeps(),
        new PingPong(),
        new QueueThroughput(),
        new LockCycles(),
        new EventWake(),
        new TcpEcho(),
        new TcpLoad(),
        new TcpPairs(),
        new SubprocessSpawn(),
        new WaitFirst(),
        new WaitFor(),
        new RemoteQueue(),
    ];
}
