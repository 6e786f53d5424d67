namespace Actors.Asyncio;

/// <summary>asyncio.BoundedSemaphore: an <see cref="AioSemaphore"/> whose <see cref="AioSemaphore.Release"/> refuses to
/// go above the initial value (a release without a matching acquire is a bug it reports).</summary>
public sealed class AioBoundedSemaphore : AioSemaphore
{
    /// <summary>asyncio.BoundedSemaphore(value): <paramref name="value"/> permits (default 1), never more.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public AioBoundedSemaphore(int value = 1) : base(value, value) { }
}
