namespace Actors.Asyncio;

/// <summary>asyncio.InvalidStateError: an operation on a future or task in the wrong state
/// (reading the result of a pending future, setting the result of a done one).</summary>
public class InvalidStateException : InvalidOperationException
{
    /// <summary>asyncio.InvalidStateError().</summary>
    public InvalidStateException() { }

    /// <summary>asyncio.InvalidStateError(msg).</summary>
    public InvalidStateException(string message) : base(message) { }

    /// <summary>asyncio.InvalidStateError(msg) with a cause.</summary>
    public InvalidStateException(string message, Exception inner) : base(message, inner) { }
}
