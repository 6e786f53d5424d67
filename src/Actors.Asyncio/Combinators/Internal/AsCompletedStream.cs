namespace Actors.Asyncio.Internal;

/// <summary>asyncio.as_completed (3.13's async iterator): subscribes to every child when created (so children
/// complete into it even before iteration starts), then yields the original tasks/futures in completion order.
/// With a timeout, once the deadline passes, every step past those already completed throws
/// <see cref="TimeoutException"/>; the children are not cancelled (asyncio AC3).</summary>
internal sealed class AsCompletedStream<TTask> : IAsyncEnumerable<TTask>, IAsyncEnumerator<TTask>, IAggregator, IDeadlineTarget
    where TTask : AioFuture
{
    private readonly HashSet<TTask> _todo;
    private readonly Queue<TTask> _done = new();
    private readonly double? _timeout;
    private int _left;
    private DeadlineTimer? _timer;
    private LoopWaiter<bool>? _waiter;
    private bool _timedOut;
    private bool _enumerated;

    public AsCompletedStream(AioEventLoop loop, HashSet<TTask> todo, double? timeout)
    {
        Loop = loop;
        _todo = todo;
        _timeout = timeout;
        _left = todo.Count;
        foreach (var child in todo) ChildDoneWork.Subscribe(child, this);
        if (timeout is { } t && todo.Count > 0) _timer = DeadlineTimer.Arm(loop, this, t);
    }

    public AioEventLoop Loop { get; }

    public TTask Current { get; private set; } = null!;

    public IAsyncEnumerator<TTask> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (_enumerated) throw Errors.AsCompletedReused(this);
        _enumerated = true;
        return this;
    }

    public void OnChildDone(AioFuture child)
    {
        if (!_todo.Remove((TTask)child)) return;   // after the deadline, or a duplicate subscription
        _done.Enqueue((TTask)child);
        if (_todo.Count == 0) _timer?.Cancel();
        var waiter = _waiter;
        _waiter = null;
        waiter?.Wake(true);
    }

    public void OnDeadline()
    {
        _timedOut = true;
        foreach (var child in _todo) ChildDoneWork.Unsubscribe(child, this);
        _todo.Clear();
        var waiter = _waiter;
        _waiter = null;
        waiter?.Wake(true);
    }

    public async ValueTask<bool> MoveNextAsync()
    {
        while (true)
        {
            if (_done.Count > 0)
            {
                Current = _done.Dequeue();
                _left--;
                return true;
            }
            if (_left == 0) return false;
            if (_timedOut) throw Errors.AsCompletedTimedOut(this, _timeout ?? 0, _left);
            // A woken step refused because the task was cancelled leaves the child in _done: nothing is lost.
            var waiter = new LoopWaiter<bool>(Loop).Attach();
            _waiter = waiter;
            await waiter.Task;
        }
    }

    public ValueTask DisposeAsync()
    {
        _timer?.Cancel();
        if (Loop.IsOnLoopThread)
            foreach (var child in _todo) ChildDoneWork.Unsubscribe(child, this);
        return default;
    }

    public override string ToString() => $"<AioAsCompleted [left:{_left}, ready:{_done.Count}{(_timedOut ? ", timed out" : "")}]>";
}
