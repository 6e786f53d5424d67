using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.Future with a result of type <typeparamref name="T"/>.</summary>
/// <remarks>See <see cref="AioFuture"/> for threading: the state changes only on the future's loop.</remarks>
public class AioFuture<T> : AioFuture
{
    private T _value = default!;

    /// <summary>asyncio.Future(): a pending future on the running loop.</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public AioFuture() { }

    /// <summary>asyncio.Future(loop=loop): a pending future bound to <paramref name="loop"/>.</summary>
    public AioFuture(AioEventLoop loop) : base(loop) { }

    /// <summary>asyncio.Future.result(): the result.</summary>
    /// <exception cref="InvalidStateException">The future is not done.</exception>
    /// <exception cref="CancelledException">The future was cancelled.</exception>
    /// <remarks>When the future failed, its exception is rethrown as itself.</remarks>
    public T Result
    {
        get
        {
            ThrowIfNotSuccess();
            return _value;
        }
    }

    /// <summary>asyncio.Future.set_result(value): completes the future; its callbacks run on a later loop iteration.</summary>
    /// <exception cref="InvalidStateException">The future is already done.</exception>
    public virtual void SetResult(T value)
    {
        if (!Loop.IsOnLoopThread) { Loop.CallSoonThreadsafe(() => SetResult(value)); return; }
        if (!TrySetResultCore(value)) throw Errors.AlreadyDone(this);
    }

    /// <summary>Sets the result unless the future is done; false when it was (no exception).</summary>
    public bool TrySetResult(T value)
    {
        if (!Loop.IsOnLoopThread) throw Errors.NoRunningLoop(nameof(TrySetResult));
        return TrySetResultCore(value);
    }

    /// <summary>Lets <c>await future</c> give the result, resuming on the awaiting task's loop thread.</summary>
    public new AioFutureAwaiter<T> GetAwaiter() => new(this);

    internal bool TrySetResultCore(T value)
    {
        // Only the loop thread writes, so checking first keeps a done future's value intact; the volatile state
        // written after the value lets other threads read it once they see IsDone.
        if (IsDone) return false;
        _value = value;
        return TryComplete(Finished, null, null);
    }

    internal T ResultForAwait()
    {
        ThrowIfNotSuccess();
        return _value;
    }

    /// <summary>The result without checks, for combinators that already know the future succeeded.</summary>
    internal T ValueUnchecked => _value;

    // A task without a result (Akka's NotUsed) collects as null, as asyncio's None.
    internal override object? BoxedResultUnchecked => _value is Akka.NotUsed ? null : _value;
}
