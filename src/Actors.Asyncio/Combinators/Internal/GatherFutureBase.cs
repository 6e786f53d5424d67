namespace Actors.Asyncio.Internal;

/// <summary>asyncio's <c>_GatheringFuture</c>: an aggregator on the caller's loop that counts its children's
/// completions (one <see cref="ChildDoneWork"/> registration per child, no closure) and collects their results in
/// input order once the last one is done.</summary>
/// <remarks>
/// Without <c>returnExceptions</c> the first failure (or a child's own cancellation) completes the gather at once; the
/// other children keep running and their later exceptions are marked retrieved (asyncio G2, G5). Cancelling the
/// gather cancels every child still running and, once they are all done, completes it with
/// <see cref="CancelledException"/> even with <c>returnExceptions</c> (G4). A gather that ends with a
/// <see cref="CancelledException"/> is <em>finished</em> with that exception, not cancelled: <c>IsCancelled</c> stays
/// false, as asyncio's <c>gather.cancelled()</c> does.
/// </remarks>
internal abstract class GatherFutureBase<TChild, TResult> : AioFuture<TResult>, IAggregator where TChild : AioFuture
{
    private readonly TChild[] _children;
    private readonly bool _returnExceptions;
    private int _finished;
    private bool _cancelRequested;
    private string? _cancelMessage;

    protected GatherFutureBase(AioEventLoop loop, TChild[] children, bool returnExceptions) : base(loop)
    {
        _children = children;
        _returnExceptions = returnExceptions;
    }

    /// <summary>Subscribes to every child; a gather of nothing completes at once with an empty result (asyncio G6).</summary>
    public GatherFutureBase<TChild, TResult> Start()
    {
        var children = _children;
        if (children.Length == 0)
        {
            if (Loop.IsOnLoopThread) TrySetResultCore(Collect(children));
            else Loop.CallSoonThreadsafe(() => TrySetResultCore(Collect(children)));
            return this;
        }
        for (int i = 0; i < children.Length; i++) ChildDoneWork.Subscribe(children[i], this);
        return this;
    }

    protected TChild[] Children => _children;

    /// <summary>The results of every child, in input order; called once all are done.</summary>
    protected abstract TResult Collect(TChild[] children);

    public void OnChildDone(AioFuture child)
    {
        _finished++;
        if (IsDone)
        {
            // Already propagated an exception (or was completed by hand): the others are observed here, so asyncio
            // does not report them as never retrieved.
            if (!child.IsCancelled) child.MarkRetrieved();
            return;
        }
        if (!_returnExceptions)
        {
            if (child.IsCancelled) { Fail(child.MakeCancelledException()); return; }
            if (child.ExceptionNoMark is { } error)
            {
                child.MarkRetrieved();
                Fail(error);
                return;
            }
        }
        if (_finished < _children.Length) return;
        if (_cancelRequested) Fail(new CancelledException(_cancelMessage));
        else TrySetResultCore(Collect(_children));
    }

    private void Fail(Exception error)
    {
        TryComplete(Finished, error, null);
        // A cancellation is an outcome, not an error nobody looked at.
        if (error is CancelledException) MarkRetrieved();
    }

    /// <summary>asyncio's <c>_GatheringFuture.cancel</c>: cancels every child not done.</summary>
    /// <returns>True when at least one child accepted the cancellation; false when the gather is done.</returns>
    public override bool Cancel(string? message = null)
    {
        if (!Loop.IsOnLoopThread)
        {
            if (IsDone) return false;
            Loop.CallSoonThreadsafe(() => Cancel(message));
            return true;
        }
        if (IsDone) return false;
        bool any = false;
        foreach (var child in _children)
            if (child.Cancel(message)) any = true;
        if (any)
        {
            _cancelRequested = true;
            _cancelMessage = message;
        }
        return any;
    }

    private protected override string DescribeKind() => $"AioGather of {_children.Length}";
}
