using System.Runtime.CompilerServices;

namespace Actors.Asyncio;

/// <summary>The awaiter of <see cref="AioFuture{T}"/>: <c>await future</c> gives its result.</summary>
public readonly struct AioFutureAwaiter<T> : ICriticalNotifyCompletion
{
    private readonly AioFuture<T> _future;

    internal AioFutureAwaiter(AioFuture<T> future) => _future = future;

    /// <summary>True when the future is done.</summary>
    public bool IsCompleted => _future.IsDone;

    /// <summary>The result; rethrows the future's exception, or <see cref="CancelledException"/> when cancelled.</summary>
    public T GetResult()
    {
        AioEventLoop.CurrentStepTask?.ThrowIfResumeCancelled();
        return _future.ResultForAwait();
    }

    /// <summary>Schedules the continuation for when the future is done.</summary>
    public void OnCompleted(Action continuation) => _future.OnAwait(continuation);

    /// <summary>Schedules the continuation for when the future is done.</summary>
    public void UnsafeOnCompleted(Action continuation) => _future.OnAwait(continuation);
}
