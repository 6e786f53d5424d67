namespace Actors.Asyncio.Internal;

/// <summary>Completes (never fails) once its child is done: asyncio's <c>_cancel_and_wait</c> waiter, which waits
/// for a cancelled future to really finish without raising its outcome. Cancelling it leaves the child alone.</summary>
internal sealed class DoneWaiter : AioFuture, IAggregator
{
    private readonly AioFuture _child;

    public DoneWaiter(AioEventLoop loop, AioFuture child) : base(loop)
    {
        _child = child;
        ChildDoneWork.Subscribe(child, this);
    }

    public void OnChildDone(AioFuture child) => TryComplete(Finished, null, null);

    public override bool Cancel(string? message = null)
    {
        bool cancelled = base.Cancel(message);
        if (cancelled && Loop.IsOnLoopThread) ChildDoneWork.Unsubscribe(_child, this);
        return cancelled;
    }

    private protected override string DescribeKind() => "AioDoneWaiter";
}
