using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.PriorityQueue: an <see cref="AioQueue{T}"/> that returns the smallest item first, by
/// <see cref="Comparer{T}.Default"/> or the comparer given (use a tuple such as <c>(priority, data)</c> as asyncio
/// programs do). Equal items come out in the order they were put. Everything else is as <see cref="AioQueue{T}"/>.</summary>
/// <typeparam name="T">The item type; it must be comparable, or a comparer must be given.</typeparam>
public sealed class AioPriorityQueue<T> : AioQueue<T>
{
    /// <summary>asyncio.PriorityQueue(maxsize): a min-heap holding at most <paramref name="maxSize"/> items (0 = unbounded).</summary>
    /// <param name="maxSize">The capacity; 0 for an unbounded queue.</param>
    /// <param name="comparer">Orders the items (smallest first); <see cref="Comparer{T}.Default"/> when null.</param>
    /// <param name="loop">The home loop; by default the first loop that uses the queue.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    /// <exception cref="ArgumentException">No comparer was given and <typeparamref name="T"/> is not comparable.</exception>
    public AioPriorityQueue(int maxSize = 0, IComparer<T>? comparer = null, AioEventLoop? loop = null)
        : base(new PriorityBuffer<T>(CheckMaxSize(maxSize), CheckComparer(comparer)), maxSize, loop)
    {
        Comparer = comparer ?? Comparer<T>.Default;
    }

    /// <summary>The order of the items: smallest first.</summary>
    public IComparer<T> Comparer { get; }

    private static IComparer<T> CheckComparer(IComparer<T>? comparer)
    {
        if (comparer != null) return comparer;
        if (!typeof(IComparable<T>).IsAssignableFrom(typeof(T)) && !typeof(IComparable).IsAssignableFrom(typeof(T))
            && Nullable.GetUnderlyingType(typeof(T)) == null)
            throw Errors.QueueItemsNotComparable(typeof(T), nameof(comparer));
        return Comparer<T>.Default;
    }
}
