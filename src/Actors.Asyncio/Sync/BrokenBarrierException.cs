namespace Actors.Asyncio;

/// <summary>asyncio.BrokenBarrierError: an <see cref="AioBarrier"/> wait failed because the barrier was reset or
/// aborted while the task waited, or is broken (aborted) when the task arrived.</summary>
public class BrokenBarrierException : InvalidOperationException
{
    /// <summary>A broken-barrier error with a default message.</summary>
    public BrokenBarrierException() : base("The barrier is broken.") { }

    /// <summary>A broken-barrier error with <paramref name="message"/>.</summary>
    public BrokenBarrierException(string message) : base(message) { }

    /// <summary>A broken-barrier error with <paramref name="message"/> and its cause.</summary>
    public BrokenBarrierException(string message, Exception? inner) : base(message, inner) { }
}
