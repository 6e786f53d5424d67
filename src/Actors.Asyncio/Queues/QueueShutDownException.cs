namespace Actors.Asyncio;

/// <summary>asyncio.QueueShutDown (Python 3.13): raised by puts on a queue that was shut down, and by gets once it is also empty (at once after an immediate shutdown).</summary>
public sealed class QueueShutDownException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public QueueShutDownException() : base("The queue is shut down.") { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">What happened and what to do.</param>
    public QueueShutDownException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public QueueShutDownException(string message, Exception? innerException) : base(message, innerException) { }
}
