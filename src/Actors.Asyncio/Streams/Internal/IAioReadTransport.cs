namespace Actors.Asyncio.Internal;

/// <summary>The read side of a transport (asyncio's ReadTransport) as a <see cref="AioStreamReader"/> sees it: a
/// source of bytes that the reader can pause while its buffer is over its limit (flow control). A TCP connection,
/// a pipe of a subprocess…</summary>
/// <remarks>
/// Contract for implementers, all on the reader's loop thread: deliver bytes with
/// <see cref="AioStreamReader.FeedData"/>, end of file with <see cref="AioStreamReader.FeedEof"/>, a failure with
/// <see cref="AioStreamReader.SetException"/>. After <see cref="PauseReading"/> deliver nothing more (a chunk already
/// in flight may still be fed) until <see cref="ResumeReading"/>. Neither call may throw or block.
/// </remarks>
internal interface IAioReadTransport
{
    /// <summary>Stop delivering data until <see cref="ResumeReading"/> (asyncio's pause_reading).</summary>
    void PauseReading();

    /// <summary>Deliver data again (asyncio's resume_reading).</summary>
    void ResumeReading();
}
