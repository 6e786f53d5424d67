namespace Actors.Asyncio.Tests.Combinators;

/// <summary>Small helpers shared by the combinator specs.</summary>
internal static class CombinatorTestHelpers
{
    /// <summary>True when the future failed and nobody has retrieved its exception yet ("never retrieved" would be
    /// reported for it).</summary>
    public static bool IsUnretrieved(AioFuture future) => future.IsExceptionUnretrieved;

    public static async Task<T> After<T>(double delay, T value)
    {
        await Aio.Sleep(delay);
        return value;
    }

    public static async Task<T> FailAfter<T>(double delay, Exception error)
    {
        await Aio.Sleep(delay);
        throw error;
    }
}
