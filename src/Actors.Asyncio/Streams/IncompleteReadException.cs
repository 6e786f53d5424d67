namespace Actors.Asyncio;

/// <summary>asyncio.IncompleteReadError: the stream reached end of file before a read could be completed
/// (<see cref="AioStreamReader.ReadExactlyAsync"/>, <see cref="AioStreamReader.ReadUntilAsync"/>).</summary>
public sealed class IncompleteReadException : EndOfStreamException
{
    /// <summary>Creates the exception for <paramref name="partial"/> bytes read when <paramref name="expected"/> were
    /// wanted (null: "up to a separator", as readuntil reports).</summary>
    public IncompleteReadException(byte[] partial, int? expected)
        : base($"{partial?.Length ?? 0} bytes read on a total of {(expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "undefined")} expected bytes: the stream ended early; read Partial for what arrived.")
    {
        Partial = partial ?? [];
        Expected = expected;
    }

    /// <summary>asyncio's <c>partial</c>: the bytes read before end of file (already removed from the stream).</summary>
    public byte[] Partial { get; }

    /// <summary>asyncio's <c>expected</c>: the number of bytes wanted, or null when reading up to a separator.</summary>
    public int? Expected { get; }
}
