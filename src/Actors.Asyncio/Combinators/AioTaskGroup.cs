using System.Runtime.ExceptionServices;
using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.TaskGroup: the group handed to an <see cref="Aio.TaskGroup(Func{AioTaskGroup, Task})"/> body,
/// whose tasks the group waits for before it returns.</summary>
/// <remarks>
/// When a child fails with an exception other than a cancellation, the group cancels its other children and the
/// body (at its current await); once every task has finished it throws the failures together as one
/// <see cref="AggregateException"/> (asyncio's ExceptionGroup 'unhandled errors in a TaskGroup'), children's errors
/// in completion order, then the body's own. A child cancelled on its own affects no one. A cancellation of the
/// parent task from outside cancels the children and propagates as <see cref="CancelledException"/>, unless
/// children failed meanwhile (errors win). The parent's cancellation count is restored, so code after the group
/// runs normally (asyncio TG1–TG6). Use it on its loop's thread only (inside the body and the group's tasks).
/// </remarks>
public sealed class AioTaskGroup : IAggregator
{
    private static long s_counter;

    private readonly long _id = Interlocked.Increment(ref s_counter);
    private readonly ITaskCore _parent;
    private readonly HashSet<AioFuture> _tasks = new(ReferenceEqualityComparer.Instance);
    private readonly List<Exception> _errors = [];
    private AioFuture<bool>? _onCompleted;
    private bool _exiting;
    private bool _aborting;
    private bool _parentCancelRequested;

    internal AioTaskGroup(AioEventLoop loop, ITaskCore parent)
    {
        Loop = loop;
        _parent = parent;
    }

    /// <summary>The loop the group and its tasks run on.</summary>
    public AioEventLoop Loop { get; }

    /// <summary>asyncio.TaskGroup.create_task(coro, name=): starts <paramref name="coroutine"/> as a task of the group
    /// (on a later iteration, as <see cref="Aio.CreateTask{T}(Func{Task{T}}, string?)"/>).</summary>
    /// <exception cref="InvalidOperationException">The group is finished, or shutting down after a failure.</exception>
    public AioTask<T> CreateTask<T>(Func<Task<T>> coroutine, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        CheckOpen();
        return Track(Loop.CreateTask(coroutine, name));
    }

    /// <summary>asyncio.TaskGroup.create_task for a coroutine without a result.</summary>
    /// <exception cref="InvalidOperationException">The group is finished, or shutting down after a failure.</exception>
    public AioTask CreateTask(Func<Task> coroutine, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        CheckOpen();
        return Track(Loop.CreateTask(coroutine, name));
    }

    private void CheckOpen()
    {
        if (!Loop.IsOnLoopThread) throw Errors.NoRunningLoop(nameof(CreateTask));
        if (_exiting && _tasks.Count == 0) throw Errors.TaskGroupFinished(this);
        if (_aborting) throw Errors.TaskGroupShuttingDown(this);
    }

    private TTask Track<TTask>(TTask task) where TTask : AioFuture
    {
        _tasks.Add(task);
        ChildDoneWork.Subscribe(task, this);
        return task;
    }

    void IAggregator.OnChildDone(AioFuture task)
    {
        _tasks.Remove(task);
        if (_onCompleted != null && _tasks.Count == 0) _onCompleted.TrySetResultCore(true);
        if (task.IsCancelled || task.ExceptionNoMark is not { } error) return;
        task.MarkRetrieved();
        _errors.Add(error);
        if (_parent.IsDone)
        {
            Loop.ReportException($"{task} has errored out but its parent task {_parent} is already completed", error, task);
            return;
        }
        if (!_aborting && !_parentCancelRequested)
        {
            // Stop the body where it waits; the cancel is ours, so ExitAsync withdraws it (uncancel) afterwards.
            Abort();
            _parentCancelRequested = true;
            _parent.Cancel();
        }
    }

    private void Abort()
    {
        _aborting = true;
        foreach (var t in _tasks.ToArray())
            if (!t.IsDone) t.Cancel();
    }

    /// <summary>asyncio's <c>TaskGroup.__aexit__</c>: waits for every task, then throws what the group owes.</summary>
    internal async Task ExitAsync(Exception? bodyError)
    {
        _exiting = true;
        Exception? propagateCancellation = bodyError as CancelledException;
        if (bodyError != null && !_aborting) Abort();

        // A loop, as the completion future can be cancelled repeatedly when the parent is cancelled again.
        while (_tasks.Count > 0)
        {
            _onCompleted ??= Loop.CreateFuture<bool>();
            try { await _onCompleted; }
            catch (CancelledException e)
            {
                if (!_aborting)
                {
                    propagateCancellation = e;
                    Abort();
                }
            }
            _onCompleted = null;
        }

        if (_parentCancelRequested && _parent.Uncancel() == 0) propagateCancellation = null;
        if (propagateCancellation != null && _errors.Count == 0) ExceptionDispatchInfo.Throw(propagateCancellation);
        if (bodyError != null && bodyError is not CancelledException) _errors.Add(bodyError);
        if (_errors.Count > 0)
        {
            // A cancel from outside that arrived meanwhile is re-requested, so it is delivered after the group.
            if (_parent.Cancelling() > 0)
            {
                _parent.Uncancel();
                _parent.Cancel();
            }
            throw Errors.TaskGroupFailed(this, _errors);
        }
    }

    /// <summary>asyncio's repr: id, state, tasks and errors.</summary>
    public override string ToString()
    {
        string state = _aborting ? "aborting" : _exiting ? (_tasks.Count == 0 ? "finished" : "exiting") : "entered";
        return $"<AioTaskGroup #{_id} [{state}, tasks:{_tasks.Count}{(_errors.Count > 0 ? $", errors:{_errors.Count}" : "")}]>";
    }
}
