namespace Actors.Asyncio.Internal;

/// <summary>Made only when a future fails: reports "exception was never retrieved" through the loop's exception
/// handler when the future is collected, or when the loop closes, unless someone retrieved the exception first
/// (asyncio F10/EH4). Only failed futures pay for the finalizer.</summary>
internal sealed class UnretrievedTracker(AioFuture future, Exception exception)
{
    private volatile bool _done;

    public AioFuture Future => future;

    public Exception Exception => exception;

    public bool IsLive => !_done;

    /// <summary>The exception was retrieved: nothing to report.</summary>
    public void Clear()
    {
        _done = true;
        GC.SuppressFinalize(this);
    }

    /// <summary>Reports once, and never again.</summary>
    public void Report()
    {
        if (_done) return;
        Clear();
        future.Loop.ReportUnretrieved(future, exception);
    }

    ~UnretrievedTracker()
    {
        if (_done) return;
        _done = true;
        future.Loop.ReportUnretrievedFromFinalizer(future, exception);
    }
}
