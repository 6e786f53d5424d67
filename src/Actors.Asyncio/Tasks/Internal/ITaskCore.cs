namespace Actors.Asyncio.Internal;

/// <summary>The task machinery the loop, futures and waiters talk to, whatever the task's result type.</summary>
internal interface ITaskCore : IAioTask
{
    /// <summary>First step: runs the coroutine until its first suspension, unless cancelled before it ran (asyncio T3).</summary>
    void Start();

    /// <summary>Runs one step of the task: the continuation <paramref name="d"/> inside the task's context.</summary>
    void RunStep(SendOrPostCallback d, object? state);

    /// <summary>The task suspends on <paramref name="future"/>: remembers it (cancel cancels it) and resumes on completion.</summary>
    void BeginFutureWait(AioFuture future, Action continuation);

    /// <summary>Wake-up of a future wait: resumes the task; a cancellation requested meanwhile is thrown at the await (T10).</summary>
    void ResumeFromFuture(Action continuation, AioFuture future);

    /// <summary>The task suspends on a loop waiter: cancelling the task cancels it.</summary>
    void BeginWait(ICancellableWait wait);

    /// <summary>The waiter has delivered (or was withdrawn).</summary>
    void EndWait(ICancellableWait wait);

    /// <summary>Consumes a cancellation request that has not reached the coroutine yet (asyncio's <c>_must_cancel</c>).</summary>
    bool TakeMustCancel(out string? message);

    /// <summary>Re-checks completion after the coroutine finished outside a step (ConfigureAwait(false)).</summary>
    void CheckFinished();

    /// <summary>Called by awaiters right after a wake-up: throws a cancellation that arrived after the awaited future completed.</summary>
    void ThrowIfResumeCancelled();

    /// <summary>Delivers a message sent to the task's actor, on the loop thread.</summary>
    void Receive(object message, Akka.Actor.IActorRef sender);
}
