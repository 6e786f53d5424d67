namespace Actors.Asyncio.Internal;

/// <summary>asyncio.shield for a future without a value; see <see cref="ShieldFuture{T}"/>.</summary>
internal sealed class ShieldFuture : AioFuture, IAggregator
{
    private readonly AioFuture _inner;

    public ShieldFuture(AioFuture inner) : base(inner.Loop)
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
        else TryComplete(Finished, null, null);
    }

    /// <summary>Cancels the shield only: the inner goes on.</summary>
    public override bool Cancel(string? message = null)
    {
        bool cancelled = base.Cancel(message);
        if (cancelled && Loop.IsOnLoopThread) ChildDoneWork.Unsubscribe(_inner, this);
        return cancelled;
    }

    private protected override string DescribeKind() => "AioShield";
}
