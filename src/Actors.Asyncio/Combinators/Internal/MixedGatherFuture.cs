namespace Actors.Asyncio.Internal;

/// <summary>asyncio.gather over children of any result types: the results come back boxed in an
/// <c>object?[]</c>; with <c>returnExceptions</c> a failed child gives its exception there and a cancelled child a
/// <see cref="CancelledException"/> (asyncio G3).</summary>
internal sealed class MixedGatherFuture(AioEventLoop loop, AioFuture[] children, bool returnExceptions)
    : GatherFutureBase<AioFuture, object?[]>(loop, children, returnExceptions)
{
    protected override object?[] Collect(AioFuture[] children)
    {
        if (children.Length == 0) return [];
        var results = new object?[children.Length];
        for (int i = 0; i < results.Length; i++)
        {
            var child = children[i];
            if (child.IsCancelled) results[i] = child.MakeCancelledException();
            else if (child.ExceptionNoMark is { } error)
            {
                child.MarkRetrieved();
                results[i] = error;
            }
            else results[i] = child.BoxedResultUnchecked;
        }
        return results;
    }
}
