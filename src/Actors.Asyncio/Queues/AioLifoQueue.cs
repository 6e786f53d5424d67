using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.LifoQueue: an <see cref="AioQueue{T}"/> that returns the most recently put item first (puts 3, 1, 2
/// give 2, 1, 3). Everything else (capacity, waiters, join, shutdown, loops and actors) is as <see cref="AioQueue{T}"/>.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class AioLifoQueue<T> : AioQueue<T>
{
    /// <summary>asyncio.LifoQueue(maxsize): a stack holding at most <paramref name="maxSize"/> items (0 = unbounded).</summary>
    /// <param name="maxSize">The capacity; 0 for an unbounded queue.</param>
    /// <param name="loop">The home loop; by default the first loop that uses the queue.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    public AioLifoQueue(int maxSize = 0, AioEventLoop? loop = null)
        : base(new LifoBuffer<T>(CheckMaxSize(maxSize)), maxSize, loop) { }
}
