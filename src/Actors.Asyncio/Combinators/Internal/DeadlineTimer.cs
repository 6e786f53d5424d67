namespace Actors.Asyncio.Internal;

/// <summary>A combinator's timeout on the loop's timer heap (so the virtual clock drives it): one small object per
/// armed deadline. When due it runs as a ready item after those already queued (asyncio M6), as asyncio's
/// <c>call_later</c> handle would; a deadline already passed runs on the next iteration (asyncio's <c>call_soon</c>
/// in <c>Timeout.reschedule</c>).</summary>
internal sealed class DeadlineTimer : ITimerEntry, ILoopWork
{
    private readonly IDeadlineTarget _target;
    private readonly AioEventLoop _loop;
    private bool _inHeap;

    private DeadlineTimer(AioEventLoop loop, IDeadlineTarget target, double when)
    {
        _loop = loop;
        _target = target;
        When = when;
    }

    public double When { get; }

    public bool IsCancelled { get; private set; }

    bool ITimerEntry.IsTimerCancelled => IsCancelled;

    /// <summary>Arms a deadline at absolute loop time <paramref name="when"/>. Loop thread only.</summary>
    public static DeadlineTimer ArmAt(AioEventLoop loop, IDeadlineTarget target, double when)
    {
        var timer = new DeadlineTimer(loop, target, when);
        if (when <= loop.Clock.Now) loop.EnqueueReady(new ReadyItem(timer, null, null));
        else
        {
            timer._inHeap = true;
            loop.AddTimer(timer);
        }
        return timer;
    }

    /// <summary>Arms a deadline <paramref name="delay"/> seconds from now. Loop thread only.</summary>
    public static DeadlineTimer Arm(AioEventLoop loop, IDeadlineTarget target, double delay) =>
        ArmAt(loop, target, loop.Clock.Now + Math.Max(0, delay));

    /// <summary>Disarms; the entry stays in the heap and is skipped (the loop rebuilds the heap when most are dead).</summary>
    public void Cancel()
    {
        if (IsCancelled) return;
        IsCancelled = true;
        if (_inHeap) _loop.NoteTimerCancelled();
    }

    void ITimerEntry.OnDue(AioEventLoop loop)
    {
        _inHeap = false;
        loop.EnqueueReady(new ReadyItem(this, null, null));
    }

    void ILoopWork.Execute(object? a, object? b)
    {
        if (IsCancelled) return;
        IsCancelled = true;
        _target.OnDeadline();
    }

    public override string ToString() => $"<deadline when={When:F3} of {_target}>";
}
