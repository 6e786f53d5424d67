using System.Runtime.CompilerServices;

namespace Actors.Asyncio.Internal;

/// <summary>A task waiting on an <see cref="AioEvent"/>: <see cref="LoopWaiter{T}"/>'s protocol (scheduled delivery inside
/// the owner's step, cancellation with the owner, thread-safe wake-up from the event's home loop) cut down to what an
/// event needs, because an event can hold 100,000 of them.</summary>
/// <remarks>
/// No value (the event only says "set"), so a non-generic <see cref="TaskCompletionSource"/> (its task is 8 B smaller);
/// no refusal hooks (a wake-up of an event is not a resource to pass on); the event, the token registration and the
/// error share one field, and the queue links are intrusive: 64 B plus the 64 B task, against 152 B for a
/// <see cref="SyncWaiter{T}"/> and its task. The hooks run on the owner's loop and reach the event's home loop through
/// <see cref="SyncHome.Route"/>; the links are touched on the home loop only.
/// </remarks>
internal sealed class EventWaiter : TaskCompletionSource, ILoopWork, ICancellableWait, IQueuedWaiter<EventWaiter>
{
    private const int Pending = 0, Claimed = 1, WakeScheduled = 2, FailureScheduled = 3, Delivered = 4;

    private static readonly SendOrPostCallback DeliverCallback = static s => ((EventWaiter)s!).Deliver();

    // The owner task, or the loop for a waiter without a task (then continuations run asynchronously).
    private readonly object _ownerOrLoop;
    private int _state;
    // While pending: the event, or a TokenWait when a token is watched. Once failed: the exception (or the TokenWait
    // holding it). Null once delivered.
    private object? _extra;

    // The waiter's links in the event's WaiterQueue (intrusive: no node object per waiter); home loop only.
    public EventWaiter? QueueNext { get; set; }
    public EventWaiter? QueuePrev { get; set; }
    public bool Queued { get; set; }

    /// <summary>A waiter for the task running now on <paramref name="loop"/> (the caller's loop; the home loop for a
    /// caller on a plain thread, which then gets no owner and resumes on the thread pool).</summary>
    public EventWaiter(AioEvent ev, AioEventLoop loop) : this(ev, loop, loop.IsOnLoopThread ? AioEventLoop.CurrentStepTask : null) { }

    private EventWaiter(AioEvent ev, AioEventLoop loop, ITaskCore? owner)
        : base(owner == null ? TaskCreationOptions.RunContinuationsAsynchronously : TaskCreationOptions.None)
    {
        _ownerOrLoop = (object?)owner ?? loop;
        _extra = ev;
    }

    // The field only ever holds an AioEventLoop or an ITaskCore: no interface cast needed on the wake-up path.
    private ITaskCore? OwnerCore => _ownerOrLoop is AioEventLoop ? null : Unsafe.As<ITaskCore>(_ownerOrLoop);

    private AioEventLoop Loop => _ownerOrLoop as AioEventLoop ?? Unsafe.As<ITaskCore>(_ownerOrLoop).Loop;

    /// <summary>True until woken, failed or cancelled.</summary>
    public bool IsPending => Volatile.Read(ref _state) == Pending;

    /// <summary>Registers with the owner task; a cancellation the task owes is delivered here at once.</summary>
    public void Attach() => OwnerCore?.BeginWait(this);

    /// <summary>A token cancelled while the waiter is pending fails it with <see cref="OperationCanceledException"/>
    /// and unlinks it. Call once, right after <see cref="Attach"/>.</summary>
    public void Watch(CancellationToken token)
    {
        if (!token.CanBeCanceled || _extra is not AioEvent ev) return;
        var wait = new TokenWait(ev);
        _extra = wait;   // before registering: the callback may run at once
        wait.Registration = token.UnsafeRegister(static (s, t) => ((EventWaiter)s!).OnTokenCancelled(t), this);
    }

    /// <summary>Schedules the wake-up; false when no longer pending. Any thread.</summary>
    public bool Wake()
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Pending) != Pending) return false;
        Volatile.Write(ref _state, WakeScheduled);
        Schedule();
        return true;
    }

    /// <summary>Schedules delivery of <paramref name="error"/>; false when no longer pending. Any thread.</summary>
    public bool Fail(Exception error)
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Pending) != Pending) return false;
        SetError(error);
        Volatile.Write(ref _state, FailureScheduled);
        Schedule();
        return true;
    }

    /// <summary>asyncio's <c>fut.cancel(msg)</c> on the waiter (the owner task is cancelled): unlinks it; false once woken.</summary>
    public bool CancelWait(string? message)
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Pending) != Pending) return false;
        var ev = Event;
        SetError(new CancelledException(message));
        (_extra as TokenWait)?.Registration.Unregister();
        Volatile.Write(ref _state, FailureScheduled);
        SyncHome.Route(((ISyncHost)ev).Home, ev, SyncCommand.Unlink, this);
        Schedule();
        return true;
    }

    private void OnTokenCancelled(CancellationToken token)
    {
        // Only a token wait registers; read before failing, as a delivery on the loop thread may clear it meanwhile.
        if (Volatile.Read(ref _extra) is not TokenWait wait) return;
        if (Fail(new OperationCanceledException(token))) SyncHome.Route(((ISyncHost)wait.Event).Home, wait.Event, SyncCommand.Unlink, this);
    }

    // Valid until delivery: the event is kept (in the TokenWait) whenever it is needed after a failure.
    private AioEvent Event => _extra as AioEvent ?? ((TokenWait)_extra!).Event;

    private void SetError(Exception error)
    {
        if (_extra is TokenWait wait) wait.Error = error;
        else _extra = error;
    }

    private void Schedule() => Loop.Post(new ReadyItem(this, null, null));

    void ILoopWork.Execute(object? a, object? b)
    {
        if (OwnerCore is { } owner) owner.RunStep(DeliverCallback, this);
        else Deliver();
    }

    private void Deliver()
    {
        if (_state == Delivered) return;
        var owner = OwnerCore;
        owner?.EndWait(this);
        bool woken = _state == WakeScheduled;
        var wait = _extra as TokenWait;
        var error = wait != null ? wait.Error : _extra as Exception;
        wait?.Registration.Unregister();
        _state = Delivered;
        _extra = null;
        // As LoopWaiter: a cancellation the owner received after this waiter was woken (or failed) is delivered by
        // this wake-up, once, as asyncio's __step does with _must_cancel.
        if (owner != null && owner.TakeMustCancel(out var message))
            TrySetException(error as CancelledException ?? new CancelledException(message));
        else if (woken) TrySetResult();
        else TrySetException(error!);
    }

    public override string ToString() => $"<{nameof(EventWaiter)} of {(OwnerCore?.ToString() ?? "no task")}>";

    /// <summary>Made only when a cancellable token is given: most waits have none.</summary>
    private sealed class TokenWait(AioEvent ev)
    {
        public readonly AioEvent Event = ev;
        public CancellationTokenRegistration Registration;
        public Exception? Error;
    }
}
