namespace Actors.Asyncio.Internal;

/// <summary>What a task is suspended on (asyncio's <c>Task._fut_waiter</c>): cancelling the task cancels it.</summary>
internal interface ICancellableWait
{
    /// <summary>Cancels the wait; false when it already completed (or its wake-up is already scheduled).</summary>
    bool CancelWait(string? message);
}
