using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.TimerHandle: a callback scheduled with <see cref="AioEventLoop.CallLater(double, Action)"/> or
/// <see cref="AioEventLoop.CallAt(double, Action)"/>.</summary>
public sealed class AioTimerHandle : AioHandle, ITimerEntry
{
    internal AioTimerHandle(AioEventLoop loop, double when, Action callback) : base(loop, callback) => When = when;

    /// <summary>asyncio.TimerHandle.when(): the deadline on the loop clock (<see cref="AioEventLoop.Time"/>), seconds.</summary>
    public double When { get; }

    bool ITimerEntry.IsTimerCancelled => IsCancelled;

    void ITimerEntry.OnDue(AioEventLoop loop) => loop.EnqueueReady(new ReadyItem(this, null, null));

    /// <summary>asyncio's repr: when, and whether cancelled.</summary>
    public override string ToString() => $"<AioTimerHandle when={When:F3}{(IsCancelled ? " [cancelled]" : "")}>";
}
