namespace Actors.Asyncio;

/// <summary>asyncio.QueueFull: raised by <see cref="AioQueue{T}.PutNoWait"/> when the queue is full.</summary>
public sealed class QueueFullException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public QueueFullException() : base("The queue is full.") { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">What happened and what to do.</param>
    public QueueFullException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public QueueFullException(string message, Exception? innerException) : base(message, innerException) { }
}
