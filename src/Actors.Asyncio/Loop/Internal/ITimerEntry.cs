namespace Actors.Asyncio.Internal;

/// <summary>An entry of a loop's timer heap: a public <see cref="AioTimerHandle"/>, or an internal waiter that is its
/// own timer (a sleep), so a sleep costs one object.</summary>
internal interface ITimerEntry
{
    /// <summary>Deadline on the loop clock, seconds.</summary>
    double When { get; }

    /// <summary>Cancelled entries stay in the heap and are skipped when due (asyncio does the same).</summary>
    bool IsTimerCancelled { get; }

    /// <summary>Called on the loop thread when the deadline has passed: schedule whatever is due.</summary>
    void OnDue(AioEventLoop loop);
}
