namespace Actors.Asyncio.Internal;

/// <summary>asyncio.wait's waiter: an aggregator that completes (never fails) when the return condition holds or
/// the deadline passes. The awaiting task owns it: cancelling the task cancels only this waiter, never the children
/// (asyncio W6). Its subscriptions and timer are withdrawn by <see cref="Detach"/>.</summary>
internal sealed class WaitFuture : AioFuture, IAggregator, IDeadlineTarget
{
    private readonly ReturnWhen _returnWhen;
    private int _counter;
    private DeadlineTimer? _timer;

    public WaitFuture(AioEventLoop loop, int count, ReturnWhen returnWhen) : base(loop)
    {
        _counter = count;
        _returnWhen = returnWhen;
    }

    public void ArmTimeout(double timeout) => _timer = DeadlineTimer.Arm(Loop, this, timeout);

    public void OnChildDone(AioFuture child)
    {
        if (IsDone) return;
        _counter--;
        if (_counter <= 0 || _returnWhen == ReturnWhen.FirstCompleted || (_returnWhen == ReturnWhen.FirstException && IsFailure(child)))
            Release();
    }

    // asyncio reads f.exception() here, which marks it retrieved: the caller was told it failed.
    private static bool IsFailure(AioFuture child)
    {
        if (child.IsCancelled || child.ExceptionNoMark == null) return false;
        child.MarkRetrieved();
        return true;
    }

    public void OnDeadline() => Release();

    private void Release()
    {
        _timer?.Cancel();
        TryComplete(Finished, null, null);
    }

    /// <summary>Withdraws the subscriptions of children still pending and the timer.</summary>
    public void Detach<TTask>(HashSet<TTask> children) where TTask : AioFuture
    {
        _timer?.Cancel();
        foreach (var child in children) ChildDoneWork.Unsubscribe(child, this);
    }

    private protected override string DescribeKind() => $"AioWait {_returnWhen}";
}
