namespace Actors.Asyncio.Internal;

/// <summary>Made only when a future fails: reports "exception was never retrieved" through the loop's exception
/// handler when the future is collected, or when the loop closes, unless someone retrieved the exception first
/// (asyncio F10/EH4). Only failed futures pay for the finalizer.</summary>
internal sealed class UnretrievedTracker(AioFuture future, Exception exception)
{
    // Claimed once by whoever reports or clears: the loop at close and the finalizer thread can race for it.
    private int _done;

    public AioFuture Future => future;

    public Exception Exception => exception;

    public bool IsLive => Volatile.Read(ref _done) == 0;

    /// <summary>The exception was retrieved: nothing to report.</summary>
    public void Clear()
    {
        Volatile.Write(ref _done, 1);
        GC.SuppressFinalize(this);
    }

    /// <summary>Reports once, and never again.</summary>
    public void Report()
    {
        if (Interlocked.Exchange(ref _done, 1) != 0) return;
        GC.SuppressFinalize(this);
        future.Loop.ReportUnretrieved(future, exception);
    }

    ~UnretrievedTracker()
    {
        if (Interlocked.Exchange(ref _done, 1) != 0) return;
        future.Loop.ReportUnretrievedFromFinalizer(future, exception);
    }
}
