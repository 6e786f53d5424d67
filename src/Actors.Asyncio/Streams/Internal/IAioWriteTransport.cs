namespace Actors.Asyncio.Internal;

/// <summary>The write side of a transport (asyncio's WriteTransport) as an <see cref="AioStreamWriter"/> sees it:
/// a TCP connection, the stdin pipe of a subprocess…</summary>
/// <remarks>
/// Contract for implementers, all on the writer's loop thread:
/// <list type="bullet">
/// <item><see cref="Write"/> copies the bytes (the caller may reuse its array), never blocks and never throws for
/// flow control: the bytes count in <see cref="WriteBufferSize"/> until the OS has taken them.</item>
/// <item>Whenever <see cref="WriteBufferSize"/> goes down, call <see cref="AioStreamWriter.OnWriteBufferShrunk"/>
/// so a drain waiting for the low-water mark wakes up.</item>
/// <item>When the transport is gone for good (closed by us and flushed, closed by the peer, failed), call
/// <see cref="AioStreamWriter.OnConnectionLost"/> once, with the error or null for a clean close; feed the paired
/// reader (<see cref="AioStreamReader.FeedEof"/> or <see cref="AioStreamReader.SetException"/>) before that.</item>
/// </list>
/// </remarks>
internal interface IAioWriteTransport
{
    /// <summary>Queues <paramref name="data"/> for sending (asyncio's transport.write).</summary>
    void Write(ReadOnlySpan<byte> data);

    /// <summary>Bytes accepted by <see cref="Write"/> and not yet handed to the OS (asyncio's get_write_buffer_size).</summary>
    long WriteBufferSize { get; }

    /// <summary>Whether <see cref="WriteEof"/> is supported (asyncio's can_write_eof).</summary>
    bool CanWriteEof { get; }

    /// <summary>Closes the write direction once the buffered bytes are sent; the read direction stays open
    /// (asyncio's write_eof).</summary>
    void WriteEof();

    /// <summary>Sends what is buffered, then closes; idempotent (asyncio's close).</summary>
    void Close();

    /// <summary>Closes at once, dropping what is buffered (asyncio's abort).</summary>
    void Abort();

    /// <summary>True once closing started, by us or because the connection was lost (asyncio's is_closing).</summary>
    bool IsClosing { get; }

    /// <summary>asyncio's get_extra_info(name): "peername", "sockname"… or null when unknown.</summary>
    object? GetExtraInfo(string name);
}
