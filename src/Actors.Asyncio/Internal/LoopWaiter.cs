namespace Actors.Asyncio.Internal;

/// <summary>
/// The one waiter abstraction behind every awaitable operation that returns a .NET <see cref="Task{T}"/> (sleeps,
/// queue gets and puts, lock, event, semaphore, stream reads): a pending wake-up owned by the awaiting task.
/// </summary>
/// <remarks>
/// As in asyncio, completing a waiter only <em>schedules</em> the wake-up (<c>fut.set_result</c> then
/// <c>call_soon(task.__wakeup)</c>): the value is delivered on a later iteration, inside the owner task's step, where
/// the task's continuation then runs inline. So:
/// <list type="bullet">
/// <item>cancelling the owner task cancels the waiter (<see cref="OnCancelled"/> lets the primitive unlink it);</item>
/// <item>a waiter woken but whose owner is cancelled before the wake-up runs refuses the value
/// (<see cref="OnDeliveryRefused"/> gives it back: a queue item returns to the queue, a lock passes to the next
/// waiter) and the owner gets <see cref="CancelledException"/> — nothing is lost (asyncio pitfalls 1 and 2).</item>
/// </list>
/// Call <see cref="Attach"/> once constructed. <see cref="Wake"/>, <see cref="Fail"/> and <see cref="CancelWait"/> are
/// thread-safe (the first one wins), so a primitive living on another loop can wake a task of this one; the hooks run
/// on the owner's loop thread, and such a primitive must marshal what they do to its own loop. A waiter created
/// outside any task completes with continuations forced asynchronous, so foreign awaiters never run on the loop thread.
/// </remarks>
internal class LoopWaiter<T> : TaskCompletionSource<T>, ILoopWork, ICancellableWait
{
    private const int Pending = 0, Claimed = 1, WakeScheduled = 2, FailureScheduled = 3, Delivered = 4;

    private static readonly SendOrPostCallback DeliverCallback = static s => ((LoopWaiter<T>)s!).Deliver();

    private readonly ITaskCore? _owner;
    private int _state;
    private T _value = default!;
    private Exception? _error;

    /// <summary>A waiter for the task running now on <paramref name="loop"/>'s thread (or for no task).</summary>
    public LoopWaiter(AioEventLoop loop) : this(loop, loop.IsOnLoopThread ? AioEventLoop.CurrentStepTask : null) { }

    private LoopWaiter(AioEventLoop loop, ITaskCore? owner)
        : base(owner == null ? TaskCreationOptions.RunContinuationsAsynchronously : TaskCreationOptions.None)
    {
        Loop = loop;
        _owner = owner;
    }

    /// <summary>The loop whose thread delivers the wake-up (the owner's loop).</summary>
    public AioEventLoop Loop { get; }

    /// <summary>The task awaiting this waiter, if any.</summary>
    public IAioTask? Owner => _owner;

    /// <summary>True until woken, failed or cancelled.</summary>
    public bool IsPending => Volatile.Read(ref _state) == Pending;

    /// <summary>Registers with the owner task; a cancellation the task owes is delivered here at once (asyncio: a
    /// task cancelled while running gets CancelledError at its next suspension).</summary>
    public LoopWaiter<T> Attach()
    {
        _owner?.BeginWait(this);
        return this;
    }

    /// <summary>Schedules delivery of <paramref name="value"/>; false when no longer pending. Any thread.</summary>
    public bool Wake(T value)
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Pending) != Pending) return false;
        _value = value;
        Volatile.Write(ref _state, WakeScheduled);
        Schedule();
        return true;
    }

    /// <summary>Schedules delivery of <paramref name="error"/>; false when no longer pending.</summary>
    public bool Fail(Exception error)
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Pending) != Pending) return false;
        _error = error;
        Volatile.Write(ref _state, FailureScheduled);
        Schedule();
        return true;
    }

    /// <summary>asyncio's <c>fut.cancel(msg)</c> on the waiter: false once woken (the owner then gets the
    /// cancellation at delivery instead, and the value is refused).</summary>
    public bool CancelWait(string? message)
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Pending) != Pending) return false;
        _error = new CancelledException(message);
        Volatile.Write(ref _state, FailureScheduled);
        OnCancelled();
        Schedule();
        return true;
    }

    /// <summary>The waiter was cancelled while pending: remove it from the primitive's waiter queue.</summary>
    protected virtual void OnCancelled() { }

    /// <summary>The waiter was woken with <paramref name="value"/> but its owner was cancelled before resuming: give
    /// the value back (re-queue the item, pass the lock or permit on).</summary>
    protected virtual void OnDeliveryRefused(T value) { }

    /// <summary>The owner is about to resume with <paramref name="value"/> (runs on the owner's loop thread, or the
    /// waker's loop for a waiter without a task, right before the continuation): a lock that was only granted becomes
    /// held, a semaphore's woken-waiter count drops.</summary>
    protected virtual void OnDelivered(T value) { }

    /// <summary>Runs right before <see cref="OnDelivered"/>, where the resource may have gone away since the wake-up
    /// (a queue shut down after a putter was granted a slot): return an exception to deliver instead of the value, or
    /// null to deliver it.</summary>
    protected virtual Exception? OnDelivering(T value) => null;

    private void Schedule() => Loop.Post(new ReadyItem(this, null, null));

    void ILoopWork.Execute(object? a, object? b)
    {
        if (_owner != null) _owner.RunStep(DeliverCallback, this);
        else Deliver();
    }

    private void Deliver()
    {
        if (_state == Delivered) return;
        _owner?.EndWait(this);
        var error = _error;
        var value = _value;
        bool woken = _state == WakeScheduled;
        _state = Delivered;
        _value = default!;
        // A cancellation the owner received after this waiter was woken (or cancelled) is delivered by this wake-up,
        // once, as asyncio's __step does with _must_cancel: the value is refused and given back.
        if (_owner != null && _owner.TakeMustCancel(out var message))
        {
            if (woken) OnDeliveryRefused(value);
            TrySetException(error as CancelledException ?? new CancelledException(message));
        }
        else if (woken)
        {
            if (OnDelivering(value) is { } veto) TrySetException(veto);
            else
            {
                OnDelivered(value);
                TrySetResult(value);
            }
        }
        else TrySetException(error!);
    }

    public override string ToString() => $"<{GetType().Name} of {(_owner?.ToString() ?? "no task")}>";
}
