namespace Actors.Asyncio.Internal;

/// <summary>asyncio.shield's outer future: copies the inner future's outcome, but cancelling it leaves the inner
/// running (asyncio SH1, SH2). It lives on the inner's loop.</summary>
internal sealed class ShieldFuture<T> : AioFuture<T>, IAggregator
{
    private readonly AioFuture<T> _inner;

    public ShieldFuture(AioFuture<T> inner) : base(inner.Loop)
    {
        _inner = inner;
        ChildDoneWork.Subscribe(inner, this);
    }

    public void OnChildDone(AioFuture child)
    {
        if (IsDone)
        {
            if (!_inner.IsCancelled) _inner.MarkRetrieved();
            return;
        }
        if (_inner.IsCancelled) base.Cancel(_inner.CancelMessage);
        else if (_inner.ExceptionNoMark is { } error)
        {
            _inner.MarkRetrieved();
            TryComplete(Finished, error, null);
        }
        else TrySetResultCore(_inner.ValueUnchecked);
    }

    /// <summary>Cancels the shield only: the inner goes on, and its outcome is no longer copied here.</summary>
    public override bool Cancel(string? message = null)
    {
        bool cancelled = base.Cancel(message);
        if (cancelled && Loop.IsOnLoopThread) ChildDoneWork.Unsubscribe(_inner, this);
        return cancelled;
    }

    private protected override string DescribeKind() => "AioShield";
}
