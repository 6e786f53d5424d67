using System.Diagnostics;

namespace Actors.Asyncio.Bench.Harness;

/// <summary>Small measuring helpers shared by the scenarios.</summary>
public static class Measure
{
    /// <summary>Managed heap in use after a full blocking collection: the "retained" bytes of a memory delta.</summary>
    public static long HeapAfterFullGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Per-second rate of <paramref name="count"/> operations done in <paramref name="elapsed"/>.</summary>
    public static double Rate(long count, TimeSpan elapsed) => count / Math.Max(elapsed.TotalSeconds, 1e-9);

    /// <summary>Megabytes (10^6 bytes) per second.</summary>
    public static double MBps(long bytes, TimeSpan elapsed) => bytes / 1e6 / Math.Max(elapsed.TotalSeconds, 1e-9);

    /// <summary>A started stopwatch.</summary>
    public static Stopwatch Start() => Stopwatch.StartNew();
}
