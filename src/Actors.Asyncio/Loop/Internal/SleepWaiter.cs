namespace Actors.Asyncio.Internal;

/// <summary>asyncio.sleep(delay, result): a waiter that is its own timer, so a sleep costs one object and its task.</summary>
internal sealed class SleepWaiter<T>(AioEventLoop loop, T result) : LoopWaiter<T>(loop), ITimerEntry
{
    public double When { get; private set; }

    public bool IsTimerCancelled => !IsPending;

    public Task<T> Start(double delay)
    {
        Attach();
        if (!IsPending) return Task;
        if (delay <= 0) Wake(result);      // one tick, no timer (asyncio SL2)
        else
        {
            When = Loop.Clock.Now + delay;
            Loop.AddTimer(this);
        }
        return Task;
    }

    public void OnDue(AioEventLoop loop) => Wake(result);

    protected override void OnCancelled()
    {
        if (When > 0) Loop.NoteTimerCancelled();
    }
}
