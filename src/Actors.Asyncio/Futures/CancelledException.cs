namespace Actors.Asyncio;

/// <summary>asyncio.CancelledError: raised at a task's await when the task (or what it awaits) is cancelled.</summary>
/// <remarks>Derives from <see cref="OperationCanceledException"/> so .NET code that handles cancellation handles it too.
/// The message passed to <c>Cancel(message)</c> is kept in <see cref="Exception.Message"/> and <see cref="CancelMessage"/>.</remarks>
public class CancelledException : OperationCanceledException
{
    /// <summary>asyncio.CancelledError(): a cancellation without a message.</summary>
    public CancelledException() : base("The operation was cancelled.") { }

    /// <summary>asyncio.CancelledError(msg): a cancellation carrying the message given to <c>cancel(msg)</c>.</summary>
    public CancelledException(string? message) : base(message ?? "The operation was cancelled.") => CancelMessage = message;

    /// <summary>A cancellation with a message and the exception that caused it.</summary>
    public CancelledException(string? message, Exception? inner) : base(message ?? "The operation was cancelled.", inner) => CancelMessage = message;

    /// <summary>The message given to <c>Cancel(message)</c>, or null for a plain cancel (asyncio's <c>CancelledError.args</c>).</summary>
    public string? CancelMessage { get; }
}
