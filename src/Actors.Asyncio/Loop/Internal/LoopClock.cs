using System.Diagnostics;

namespace Actors.Asyncio.Internal;

/// <summary>The one clock every time-based wait of a loop reads (asyncio's <c>loop.time()</c>): sleeps, timers,
/// timeouts. Real by default; virtual under the TestKit, where the loop jumps it to the next deadline when idle.</summary>
internal abstract class LoopClock
{
    /// <summary>Seconds on the loop's monotonic clock.</summary>
    public abstract double Now { get; }

    /// <summary>True when the loop may move this clock instead of waiting in real time.</summary>
    public abstract bool IsVirtual { get; }

    /// <summary>Moves a virtual clock forward to <paramref name="when"/> (never backwards).</summary>
    public virtual void AdvanceTo(double when) => throw new InvalidOperationException("A real clock cannot be advanced by hand.");
}

internal sealed class RealClock : LoopClock
{
    private readonly long _origin = Stopwatch.GetTimestamp();
    public override double Now => (Stopwatch.GetTimestamp() - _origin) / (double)Stopwatch.Frequency;
    public override bool IsVirtual => false;
}

internal sealed class VirtualClock : LoopClock
{
    // Written only on the loop thread; read elsewhere only for diagnostics.
    private double _now;
    public override double Now => Volatile.Read(ref _now);
    public override bool IsVirtual => true;
    public override void AdvanceTo(double when)
    {
        if (when > _now) Volatile.Write(ref _now, when);
    }
}
