namespace Actors.Asyncio;

/// <summary>asyncio.QueueEmpty: raised by <see cref="AioQueue{T}.GetNoWait"/> when the queue is empty.</summary>
public sealed class QueueEmptyException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public QueueEmptyException() : base("The queue is empty.") { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">What happened and what to do.</param>
    public QueueEmptyException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public QueueEmptyException(string message, Exception? innerException) : base(message, innerException) { }
}
