namespace Actors.Asyncio;

/// <summary>asyncio.LimitOverrunError: the data before a separator is longer than the stream's limit
/// (<see cref="AioStreamReader.ReadUntilAsync"/>, <see cref="AioStreamReader.ReadLineAsync"/>).</summary>
public sealed class LimitOverrunException : Exception
{
    /// <summary>Creates the exception; <paramref name="consumed"/> is asyncio's <c>consumed</c>.</summary>
    public LimitOverrunException(string message, int consumed) : base(message) => Consumed = consumed;

    /// <summary>asyncio's <c>consumed</c>: how many bytes must be consumed to go on (the separator's position when
    /// it was found; otherwise how far the buffer was scanned without finding it).</summary>
    public int Consumed { get; }
}
