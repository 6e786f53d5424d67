using System.Runtime.CompilerServices;

namespace Actors.Asyncio;

/// <summary>The awaiter of <see cref="AioFuture"/>: <c>await future</c> completes at once when the future is done
/// (no yield, asyncio M4), else resumes the awaiting task on its loop on a later iteration.</summary>
public readonly struct AioFutureAwaiter : ICriticalNotifyCompletion
{
    private readonly AioFuture _future;

    internal AioFutureAwaiter(AioFuture future) => _future = future;

    /// <summary>True when the future is done.</summary>
    public bool IsCompleted => _future.IsDone;

    /// <summary>Rethrows the future's exception, or <see cref="CancelledException"/> when it was cancelled.</summary>
    public void GetResult()
    {
        AioEventLoop.CurrentStepTask?.ThrowIfResumeCancelled();
        _future.ThrowIfNotSuccess();
    }

    /// <summary>Schedules the continuation for when the future is done.</summary>
    public void OnCompleted(Action continuation) => _future.OnAwait(continuation);

    /// <summary>Schedules the continuation for when the future is done.</summary>
    public void UnsafeOnCompleted(Action continuation) => _future.OnAwait(continuation);
}
