namespace Actors.Asyncio.Internal;

/// <summary>asyncio.gather over children of one result type: the results come back as a <c>T[]</c>.</summary>
internal sealed class GatherFuture<T>(AioEventLoop loop, AioFuture<T>[] children)
    : GatherFutureBase<AioFuture<T>, T[]>(loop, children, returnExceptions: false)
{
    protected override T[] Collect(AioFuture<T>[] children)
    {
        if (children.Length == 0) return [];
        var results = new T[children.Length];
        for (int i = 0; i < results.Length; i++) results[i] = children[i].ValueUnchecked;
        return results;
    }
}
