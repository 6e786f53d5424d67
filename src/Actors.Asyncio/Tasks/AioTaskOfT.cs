using System.Runtime.ExceptionServices;
using Actors.Asyncio.Internal;
using Akka;
using Akka.Actor;
using Akka.Event;

namespace Actors.Asyncio;

/// <summary>asyncio.Task: a coroutine (a <c>Func&lt;Task&lt;T&gt;&gt;</c>) running on a loop as a lightweight actor.</summary>
/// <remarks>
/// Every step of the coroutine runs on the loop thread: the task installs its own synchronization context, so any
/// <c>await</c> inside it (of an <see cref="AioFuture"/>, of a library operation, or of a plain .NET
/// <see cref="System.Threading.Tasks.Task"/>) resumes there, as a message to the task. The task is addressable:
/// <see cref="Ref"/> is an <see cref="IActorRef"/> that can be told <see cref="TaskProtocol.Cancel"/> and watched.
/// The ref is materialised on first use, so a task nobody addresses costs no more than a future.
/// </remarks>
public class AioTask<T> : AioFuture<T>, ITaskCore
{
    private readonly long _id;
    private readonly TaskContext _context;
    // The coroutine function until the first step, then the coroutine's Task: one field for both.
    private object? _coroutine;
    // The name, actor ref and cancellation source, made on first use (or at creation for a named task).
    private TaskExtras? _extras;
    // null, one ICancellableWait, or a List of them: what the task is suspended on (asyncio's _fut_waiter).
    private object? _waits;
    // Four flags and the cancel count share AioFuture.TaskBits (a task is paid per waiting task).
    private const int MustCancelBit = 1, ResumeCancelBit = 2, ForeignWaitBit = 4, WatchingCompletionBit = 8, CountShift = 4;
    private const int MaxCancelRequests = int.MaxValue >> CountShift;

    internal AioTask(AioEventLoop loop, Func<Task<T>> coroutine, string? name) : this(loop, (Delegate)coroutine, name) { }

    private protected AioTask(AioEventLoop loop, Delegate coroutine, string? name) : base(loop)
    {
        _id = TaskIds.Next();
        if (name != null) _extras = new TaskExtras(name);
        _coroutine = coroutine;
        _context = new TaskContext(this);
    }

    /// <summary>asyncio.Task.get_name(): the name given at creation, or "Task-&lt;n&gt;" (a process-wide counter).</summary>
    public string Name => _extras?.Name ?? "Task-" + _id;

    /// <summary>The coroutine's actor. Tell it <see cref="TaskProtocol.Cancel"/> to cancel the task, or
    /// <see cref="TaskProtocol.Subscribe"/> to be told its outcome; watch it to get <c>Terminated</c> once it is done.</summary>
    public IActorRef Ref
    {
        get
        {
            var extras = Extras;
            var r = extras.Ref;
            if (r != null) return r;
            Interlocked.CompareExchange(ref extras.Ref, new TaskRef(this, _id), null);
            return extras.Ref!;
        }
    }

    /// <summary>Cancelled when the task is cancelled (asyncio has none: pass it to .NET APIs awaited inside the task so
    /// the cancellation reaches them). Read it inside the task.</summary>
    public CancellationToken CancellationToken
    {
        get
        {
            var extras = Extras;
            if (extras.Cts == null)
            {
                extras.Cts = new CancellationTokenSource();
                if (CancelRequests > 0) extras.Cts.Cancel();
            }
            return extras.Cts.Token;
        }
    }

    // Thread-safe: Ref may be read from any thread.
    private TaskExtras Extras => _extras ?? Interlocked.CompareExchange(ref _extras, new TaskExtras(null), null) ?? _extras;

    /// <inheritdoc cref="IAioTask.AsFuture"/>
    public AioFuture AsFuture => this;

    /// <summary>Not supported on a task (asyncio raises RuntimeError): its result comes from its coroutine.</summary>
    public override void SetResult(T value) => throw Errors.TaskSetResult(this);

    /// <summary>Not supported on a task (asyncio raises RuntimeError): its result comes from its coroutine.</summary>
    public override void SetResult() => throw Errors.TaskSetResult(this);

    /// <summary>Not supported on a task (asyncio raises RuntimeError): its exception comes from its coroutine.</summary>
    public override void SetException(Exception exception) => throw Errors.TaskSetResult(this);

    /// <summary>asyncio.Task.cancel(msg): requests cancellation. <see cref="CancelledException"/> (carrying
    /// <paramref name="message"/>) is thrown at the task's next await; the future or task it awaits is cancelled too,
    /// and <see cref="CancellationToken"/> is cancelled. The coroutine may catch it and go on.</summary>
    /// <returns>False when the task is already done; true otherwise, every time (asyncio 3.11+).</returns>
    /// <remarks>Safe from any thread: from outside the loop the request is sent to the task's actor.</remarks>
    public override bool Cancel(string? message = null)
    {
        if (!Loop.IsOnLoopThread)
        {
            if (IsDone) return false;
            Ref.Tell(new TaskProtocol.Cancel(message));
            return true;
        }
        MarkRetrieved();
        if (IsDone) return false;
        if (CancelRequests < MaxCancelRequests) CancelRequests++;
        if (_extras?.Cts is { IsCancellationRequested: false } cts)
        {
            try { cts.Cancel(); }
            catch (Exception e) { Loop.ReportException("Exception in a cancellation callback of " + this, e, this); }
        }
        if (_waits != null && CancelWaits(message)) return true;
        MustCancel = true;
        CancelMessageField = message;
        return true;
    }

    /// <summary>asyncio.Task.cancelling(): the number of cancellation requests not withdrawn by <see cref="Uncancel"/>.</summary>
    public int Cancelling() => CancelRequests;

    /// <summary>asyncio.Task.uncancel(): withdraws one cancellation request (never below 0) and returns the number left.
    /// At 0 a cancellation not yet delivered is dropped (asyncio 3.13) and <see cref="CancellationToken"/> is renewed.</summary>
    public int Uncancel()
    {
        if (CancelRequests > 0)
        {
            CancelRequests--;
            if (CancelRequests == 0)
            {
                MustCancel = false;
                if (_extras is { Cts.IsCancellationRequested: true } extras) extras.Cts = null;
            }
        }
        return CancelRequests;
    }

    private int CancelRequests
    {
        get => TaskBits >>> CountShift;
        set => TaskBits = (TaskBits & ((1 << CountShift) - 1)) | (value << CountShift);
    }

    // asyncio's _must_cancel: a cancellation requested that the coroutine has not received yet.
    private bool MustCancel { get => GetBit(MustCancelBit); set => SetBit(MustCancelBit, value); }

    // A cancel that came after the awaited future completed: thrown at the await by the awaiter's GetResult.
    private bool ResumeCancel { get => GetBit(ResumeCancelBit); set => SetBit(ResumeCancelBit, value); }

    // Suspended on something the loop does not own (counted in the loop's ForeignWaits).
    private bool ForeignWait { get => GetBit(ForeignWaitBit); set => SetBit(ForeignWaitBit, value); }

    private bool WatchingCompletion { get => GetBit(WatchingCompletionBit); set => SetBit(WatchingCompletionBit, value); }

    private bool GetBit(int bit) => (TaskBits & bit) != 0;

    private void SetBit(int bit, bool on) => TaskBits = on ? TaskBits | bit : TaskBits & ~bit;

    private protected override string DescribeKind() => $"{GetType().Name.Split('`')[0]} '{Name}'";

    // ---- the task machinery ----

    /// <summary>Calls the coroutine function; a synchronous throw becomes the task's exception.</summary>
    private protected virtual Task InvokeCoroutine(object function) => ((Func<Task<T>>)function)();

    private Task? Coroutine => _coroutine as Task;

    /// <summary>The coroutine's result once it completed successfully.</summary>
    private protected virtual T CoroutineResult(Task completed) => ((Task<T>)completed).Result;

    void ITaskCore.Start()
    {
        if (IsDone) return;
        if (MustCancel)
        {
            MustCancel = false;
            _coroutine = null;
            CompleteCancelled(CancelMessageField);
            return;
        }
        RunStep(static s => ((AioTask<T>)s!).StartCoroutine(), this);
    }

    private void StartCoroutine()
    {
        var function = _coroutine!;
        _coroutine = null;
        try
        {
            _coroutine = InvokeCoroutine(function)
                ?? throw new InvalidOperationException($"The coroutine of {this} returned null instead of a Task.");
        }
        catch (Exception e) { _coroutine = Task.FromException(e); }
    }

    /// <summary>Runs one step inside the task's context, then finishes the task or notes what it waits on.</summary>
    public void RunStep(SendOrPostCallback d, object? state)
    {
        var loop = Loop;
        if (ForeignWait) { ForeignWait = false; loop.ForeignWaits--; }
        var previousContext = SynchronizationContext.Current;
        var previousTask = AioEventLoop.CurrentStepTask;
        SynchronizationContext.SetSynchronizationContext(_context);
        AioEventLoop.CurrentStepTask = this;
        try { d(state); }
        catch (Exception e) { loop.ReportException("Exception in a step of " + this, e, this); }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previousContext);
            AioEventLoop.CurrentStepTask = previousTask;
        }
        AfterStep();
    }

    private void AfterStep()
    {
        var coro = Coroutine;
        if (coro == null || IsDone) return;
        if (coro.IsCompleted) { Finish(coro); return; }
        if (_waits != null) return;
        // Suspended on something the loop does not own (a plain .NET task): a virtual clock must not jump meanwhile,
        // and if the coroutine escaped the context (ConfigureAwait(false)) its completion must still be noticed.
        ForeignWait = true;
        Loop.ForeignWaits++;
        if (!WatchingCompletion)
        {
            WatchingCompletion = true;
            coro.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_context.PostCheckFinished);
        }
    }

    void ITaskCore.CheckFinished()
    {
        if (!IsDone && Coroutine is { IsCompleted: true } coro) Finish(coro);
    }

    private void Finish(Task coro)
    {
        if (ForeignWait) { ForeignWait = false; Loop.ForeignWaits--; }
        if (coro.IsCompletedSuccessfully)
        {
            // asyncio: a cancellation requested right before the coroutine returned still cancels the task.
            if (MustCancel) CompleteCancelled(CancelMessageField);
            else TrySetResultCore(CoroutineResult(coro));
        }
        else
        {
            var e = CoroutineException(coro);
            if (e is CancelledException ce) CompleteCancelled(ce.CancelMessage);
            else if (e is OperationCanceledException && CancelRequests > 0) CompleteCancelled(CancelMessageField);
            else TryComplete(Finished, e, null);
        }
        Loop.OnTaskDone(this);
        _extras?.Ref?.OnTaskDone();
    }

    private void CompleteCancelled(string? message)
    {
        TryComplete(Cancelled, null, message);
        if (Coroutine == null) { Loop.OnTaskDone(this); _extras?.Ref?.OnTaskDone(); }
    }

    private static Exception CoroutineException(Task coro)
    {
        if (coro.IsFaulted)
        {
            var agg = coro.Exception!;
            return agg.InnerExceptions.Count == 1 ? agg.InnerExceptions[0] : agg;
        }
        // A canceled Task keeps the OperationCanceledException the coroutine threw; GetResult rethrows that instance.
        try { coro.GetAwaiter().GetResult(); }
        catch (Exception e) { return e; }
        return new CancelledException();
    }

    void ITaskCore.BeginFutureWait(AioFuture future, Action continuation)
    {
        AddWait(future);
        future.AddCallback(new ReadyItem(_context, continuation, future));
        if (MustCancel)
        {
            // asyncio: a cancellation requested while the task ran is delivered by cancelling what it now awaits.
            MustCancel = false;
            if (!future.Cancel(CancelMessageField)) MustCancel = true;
        }
    }

    void ITaskCore.ResumeFromFuture(Action continuation, AioFuture future)
    {
        RemoveWait(future);
        // A cancel that came after the future completed but before this wake-up is thrown at the await (T10):
        // the awaiter's GetResult asks for it.
        if (MustCancel) { MustCancel = false; ResumeCancel = true; }
        RunStep(static s => ((Action)s!)(), continuation);
        ResumeCancel = false;
    }

    /// <summary>Called by awaiters' GetResult right after a wake-up: throws the cancellation owed to the task.</summary>
    public void ThrowIfResumeCancelled()
    {
        if (!ResumeCancel) return;
        ResumeCancel = false;
        throw new CancelledException(CancelMessageField);
    }

    void ITaskCore.BeginWait(ICancellableWait wait)
    {
        AddWait(wait);
        if (MustCancel)
        {
            MustCancel = false;
            if (!wait.CancelWait(CancelMessageField)) MustCancel = true;
        }
    }

    void ITaskCore.EndWait(ICancellableWait wait) => RemoveWait(wait);

    bool ITaskCore.TakeMustCancel(out string? message)
    {
        message = CancelMessageField;
        if (!MustCancel) return false;
        MustCancel = false;
        return true;
    }

    void ITaskCore.Receive(object message, IActorRef sender)
    {
        switch (message)
        {
            case TaskProtocol.Cancel c: Cancel(c.Message); break;
            case TaskProtocol.Subscribe s:
                if (IsDone) s.ReplyTo.Tell(Outcome(), Ref);
                else AddCallback(new ReadyItem(StateActionWork.Instance, (Action<object?>)(r => ((IActorRef)r!).Tell(Outcome(), Ref)), s.ReplyTo));
                break;
            default:
                Loop.System.DeadLetters.Tell(new DeadLetter(message, sender, Ref), sender);
                break;
        }
    }

    internal TaskProtocol.Finished Outcome() => State switch
    {
        Cancelled => new TaskProtocol.Finished(Name, null, null, true),
        _ when ExceptionNoMark is { } e => new TaskProtocol.Finished(Name, null, e, false),
        _ => new TaskProtocol.Finished(Name, ValueUnchecked, null, false),
    };

    private void AddWait(ICancellableWait wait)
    {
        switch (_waits)
        {
            case null: _waits = wait; break;
            case List<ICancellableWait> list: list.Add(wait); break;
            default: _waits = new List<ICancellableWait>(2) { (ICancellableWait)_waits, wait }; break;
        }
    }

    private void RemoveWait(ICancellableWait wait)
    {
        if (ReferenceEquals(_waits, wait)) _waits = null;
        else if (_waits is List<ICancellableWait> list)
        {
            list.Remove(wait);
            if (list.Count == 0) _waits = null;
        }
    }

    private bool CancelWaits(string? message)
    {
        if (_waits is ICancellableWait one) return one.CancelWait(message);
        bool any = false;
        foreach (var w in ((List<ICancellableWait>)_waits!).ToArray()) any |= w.CancelWait(message);
        return any;
    }
}
