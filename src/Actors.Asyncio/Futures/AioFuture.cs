using System.Runtime.CompilerServices;
using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.Future without a value: a result that will be set on its loop, awaitable from any task.</summary>
/// <remarks>
/// The state belongs to the future's loop, as an actor's state belongs to the actor: it changes only on the loop
/// thread. Called from another thread, <see cref="SetResult()"/>, <see cref="SetException"/>,
/// <see cref="Cancel"/> and <see cref="AddDoneCallback"/> are sent to the loop (as
/// <c>loop.call_soon_threadsafe(fut.set_result, …)</c> would) and take effect there.
/// Done callbacks and awakened awaiters are always scheduled on the loop, never run inline (asyncio M3, F2).
/// </remarks>
public class AioFuture : ICancellableWait
{
    private protected const int Pending = 0, Finished = 1, Cancelled = 2;

    private volatile int _state;
    // A task's flags and cancel count (see AioTask): here, they fill the padding after _state and cost nothing, where in
    // the task they would add 8 B per task.
    private protected int TaskBits;
    // One field for what the outcome needs (a future, and every task, is paid per waiting task): the exception, or the
    // UnretrievedTracker holding it until someone retrieves it; the cancellation message once cancelled; while pending,
    // a task's pending cancel request message.
    private object? _outcome;
    // Most futures have one awaiter, so one callback is kept inline, without its slot b (this future, for nearly every
    // callback: an awaiting task, a gather, a done callback): _callbacks is then its work and _callbackA its slot a.
    // Otherwise _callbacks is a List<ReadyItem> of them all, or null.
    private object? _callbacks;
    private object? _callbackA;

    /// <summary>asyncio.Future(): a pending future on the running loop.</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public AioFuture() : this(AioEventLoop.RunningOrThrow("new AioFuture()")) { }

    /// <summary>asyncio.Future(loop=loop): a pending future bound to <paramref name="loop"/>.</summary>
    public AioFuture(AioEventLoop loop) => Loop = loop ?? throw new ArgumentNullException(nameof(loop));

    /// <summary>asyncio.Future.get_loop(): the loop whose thread owns this future.</summary>
    public AioEventLoop Loop { get; }

    /// <summary>asyncio.Future.done(): true once a result, an exception or a cancellation is set.</summary>
    public bool IsDone => _state != Pending;

    /// <summary>asyncio.Future.cancelled(): true when the future was cancelled.</summary>
    public bool IsCancelled => _state == Cancelled;

    private protected int State => _state;

    /// <summary>The cancellation message of a cancelled future; while a task is pending, its pending cancel request's
    /// message (written on the loop thread only, and only while pending).</summary>
    private protected string? CancelMessageField
    {
        get => _outcome as string;
        set { if (_state == Pending) _outcome = value; }
    }

    private Exception? StoredException => _outcome switch
    {
        Exception e => e,
        UnretrievedTracker t => t.Exception,
        _ => null,
    };

    /// <summary>asyncio.Future.exception(): the exception the future failed with, or null after success.</summary>
    /// <exception cref="InvalidStateException">The future is not done.</exception>
    /// <exception cref="CancelledException">The future was cancelled.</exception>
    public Exception? Exception
    {
        get
        {
            switch (_state)
            {
                case Pending: throw Errors.ExceptionNotSet(this);
                case Cancelled: throw MakeCancelledException();
            }
            MarkRetrieved();
            return StoredException;
        }
    }

    /// <summary>asyncio.Future.set_result(None): completes the future; its callbacks run on a later loop iteration.</summary>
    /// <exception cref="InvalidStateException">The future is already done.</exception>
    public virtual void SetResult()
    {
        if (!Loop.IsOnLoopThread) { Loop.CallSoonThreadsafe(SetResult); return; }
        if (!TryComplete(Finished, null, null)) throw Errors.AlreadyDone(this);
    }

    /// <summary>asyncio.Future.set_exception(e): fails the future; awaiting it rethrows <paramref name="exception"/> itself.</summary>
    /// <exception cref="InvalidStateException">The future is already done.</exception>
    public virtual void SetException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (!Loop.IsOnLoopThread) { Loop.CallSoonThreadsafe(() => SetException(exception)); return; }
        if (exception is CancelledException ce) { if (!TryComplete(Cancelled, null, ce.CancelMessage)) throw Errors.AlreadyDone(this); return; }
        if (!TryComplete(Finished, exception, null)) throw Errors.AlreadyDone(this);
    }

    /// <summary>asyncio.Future.cancel(msg): cancels a pending future; its awaiters get <see cref="CancelledException"/>.</summary>
    /// <returns>False when the future was already done. From another thread: whether it was pending when the request was sent.</returns>
    public virtual bool Cancel(string? message = null)
    {
        if (!Loop.IsOnLoopThread)
        {
            if (IsDone) return false;
            Loop.CallSoonThreadsafe(() => Cancel(message));
            return true;
        }
        MarkRetrieved();
        return TryComplete(Cancelled, null, message);
    }

    /// <summary>asyncio.Future.add_done_callback(fn): <paramref name="callback"/> runs on the loop once the future is
    /// done (on a later iteration if it is done already; never inline). An exception it throws goes to the loop's
    /// exception handler and the other callbacks still run.</summary>
    public void AddDoneCallback(Action<AioFuture> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        AddCallback(new ReadyItem(DoneCallbackWork.Instance, callback, this));
    }

    /// <summary>asyncio.Future.remove_done_callback(fn): removes every registration of <paramref name="callback"/>.</summary>
    /// <returns>How many were removed.</returns>
    public int RemoveDoneCallback(Action<AioFuture> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (!Loop.IsOnLoopThread) throw Errors.NoRunningLoop(nameof(RemoveDoneCallback));
        int removed = 0;
        if (_callbacks is DoneCallbackWork && Equals(_callbackA, callback))
        {
            _callbacks = null;
            _callbackA = null;
            removed++;
        }
        if (_callbacks is List<ReadyItem> list) removed += list.RemoveAll(c => c.Work is DoneCallbackWork && Equals(c.A, callback));
        return removed;
    }

    /// <summary>Lets <c>await future</c> work: resumes on the awaiting task's loop thread.</summary>
    public AioFutureAwaiter GetAwaiter() => new(this);

    /// <summary>asyncio's repr: kind, id and state.</summary>
    public override string ToString() => $"<{DescribeKind()} [{DescribeState()}]>";

    private protected virtual string DescribeKind() => "AioFuture";

    private protected string DescribeState() => _state switch
    {
        Pending => "pending",
        Cancelled => "cancelled",
        _ => StoredException is { } e ? $"exception={e.GetType().Name}" : "finished",
    };

    // ---- internals shared by futures, tasks and the combinators ----

    /// <summary>Completes on the loop thread; false when already done.</summary>
    private protected bool TryComplete(int state, Exception? exception, string? cancelMessage)
    {
        if (_state != Pending) return false;
        _outcome = exception != null ? Loop.TrackUnretrieved(this, exception) : cancelMessage;
        _state = state;
        ScheduleCallbacks();
        return true;
    }

    bool ICancellableWait.CancelWait(string? message) => Cancel(message);

    internal void MarkRetrieved()
    {
        if (_outcome is UnretrievedTracker t) { _outcome = t.Exception; t.Clear(); }
    }

    internal string? CancelMessage => CancelMessageField;

    internal Exception? ExceptionNoMark => StoredException;

    /// <summary>True when the future failed and nobody has retrieved its exception yet ("never retrieved" would be
    /// reported for it).</summary>
    internal bool IsExceptionUnretrieved => _outcome is UnretrievedTracker { IsLive: true };

    /// <summary>The result boxed, without checks (null for a future without a value): for combinators that collect
    /// results of mixed types and already know the future succeeded.</summary>
    internal virtual object? BoxedResultUnchecked => null;

    internal CancelledException MakeCancelledException() => new(CancelMessageField);

    /// <summary>Registers an internal wake-up: scheduled on the loop ready queue when the future completes.</summary>
    internal void AddCallback(in ReadyItem item)
    {
        if (!Loop.IsOnLoopThread)
        {
            var copy = item;
            Loop.PostThreadsafe(new ReadyItem(StateActionWork.Instance, (Action<object?>)(_ => AddCallback(copy)), null));
            return;
        }
        if (_state != Pending) { Loop.EnqueueReady(item); return; }
        switch (_callbacks)
        {
            case null when ReferenceEquals(item.B, this):
                _callbacks = item.Work;
                _callbackA = item.A;
                break;
            case null:
                _callbacks = new List<ReadyItem>(2) { item };
                break;
            case List<ReadyItem> list:
                list.Add(item);
                break;
            default:
                _callbacks = new List<ReadyItem>(2) { new((ILoopWork)_callbacks, _callbackA, this), item };
                _callbackA = null;
                break;
        }
    }

    /// <summary>Removes an internal wake-up registered with <see cref="AddCallback"/> (same work and slot a).</summary>
    internal void RemoveCallback(ILoopWork work, object? a)
    {
        if (ReferenceEquals(_callbacks, work) && ReferenceEquals(_callbackA, a))
        {
            _callbacks = null;
            _callbackA = null;
            return;
        }
        if (_callbacks is List<ReadyItem> list) list.RemoveAll(c => c.Work == work && ReferenceEquals(c.A, a));
    }

    private void ScheduleCallbacks()
    {
        var callbacks = _callbacks;
        if (callbacks == null) return;
        _callbacks = null;
        if (callbacks is List<ReadyItem> list)
        {
            foreach (var c in list) Loop.EnqueueReady(c);
        }
        else
        {
            Loop.EnqueueReady(new ReadyItem((ILoopWork)callbacks, _callbackA, this));
            _callbackA = null;
        }
    }

    /// <summary>Throws the stored outcome for an awaiter or <c>Result</c>; marks the exception retrieved.</summary>
    internal void ThrowIfNotSuccess()
    {
        switch (_state)
        {
            case Pending: throw Errors.ResultNotSet(this);
            case Cancelled: throw MakeCancelledException();
        }
        if (StoredException is { } e)
        {
            MarkRetrieved();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
        }
    }

    /// <summary>Registers the continuation of an <c>await</c>: inside a task it resumes that task's step on its loop
    /// (and the task can cancel this future, asyncio's <c>_fut_waiter</c>); elsewhere it resumes on the awaiter's
    /// own context or the thread pool.</summary>
    internal void OnAwait(Action continuation)
    {
        var task = AioEventLoop.CurrentStepTask;
        if (task != null)
        {
            if (ReferenceEquals(task, this)) throw Errors.TaskAwaitsItself(this);
            task.BeginFutureWait(this, continuation);
            return;
        }
        var ctx = SynchronizationContext.Current;
        var resume = ctx != null && ctx.GetType() != typeof(SynchronizationContext)
            ? new ReadyItem(ForeignResumeWork.Instance, continuation, ctx)
            : new ReadyItem(ForeignResumeWork.Instance, continuation, null);
        AddCallback(resume);
    }

    private sealed class DoneCallbackWork : ILoopWork
    {
        public static readonly DoneCallbackWork Instance = new();
        public void Execute(object? a, object? b) => ((Action<AioFuture>)a!)((AioFuture)b!);
        public override string ToString() => "<done callback>";
    }

    /// <summary>Resumes an awaiter that is not a loop task without running it on the loop thread.</summary>
    private sealed class ForeignResumeWork : ILoopWork
    {
        public static readonly ForeignResumeWork Instance = new();
        public void Execute(object? a, object? b)
        {
            var continuation = (Action)a!;
            if (b is SynchronizationContext ctx) ctx.Post(static s => ((Action)s!)(), continuation);
            else ThreadPool.UnsafeQueueUserWorkItem(static s => s(), continuation, preferLocal: false);
        }
        public override string ToString() => "<resume foreign awaiter>";
    }
}
