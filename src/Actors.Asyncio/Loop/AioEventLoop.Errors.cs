using System.Text;
using Actors.Asyncio.Internal;
using Akka.Event;

namespace Actors.Asyncio;

// Errors that cannot propagate (a done callback that throws, an exception nobody retrieved) go to the loop's
// exception handler, never nowhere (asyncio EH1-EH4).
public sealed partial class AioEventLoop
{
    private Action<AioEventLoop, IReadOnlyDictionary<string, object?>>? _exceptionHandler;
    private readonly List<WeakReference<UnretrievedTracker>> _unretrieved = new();
    private int _unretrievedPruneAt = 64;

    /// <summary>asyncio's loop.set_exception_handler(handler): <paramref name="handler"/> receives the loop and a context
    /// with "message" and, where they apply, "exception", "task", "future", "handle". Null restores the default,
    /// which logs through Akka's logging.</summary>
    public void SetExceptionHandler(Action<AioEventLoop, IReadOnlyDictionary<string, object?>>? handler) =>
        _exceptionHandler = handler;

    /// <summary>asyncio's loop.get_exception_handler(): the handler set, or null for the default.</summary>
    public Action<AioEventLoop, IReadOnlyDictionary<string, object?>>? GetExceptionHandler() => _exceptionHandler;

    /// <summary>asyncio's loop.call_exception_handler(context): passes <paramref name="context"/> to the handler; if the
    /// handler throws, the default handler logs "Unhandled error in exception handler". Thread-safe.</summary>
    public void CallExceptionHandler(IReadOnlyDictionary<string, object?> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var handler = _exceptionHandler;
        if (handler == null) { DefaultExceptionHandler(context); return; }
        try { handler(this, context); }
        catch (Exception e)
        {
            DefaultExceptionHandler(new Dictionary<string, object?>
            {
                ["message"] = "Unhandled error in exception handler",
                ["exception"] = e,
                ["context"] = context,
            });
        }
    }

    /// <summary>asyncio's loop.default_exception_handler(context): logs the message, one "key: value" line per other
    /// key, and the exception, at error level on the loop's Akka logger. Thread-safe.</summary>
    public void DefaultExceptionHandler(IReadOnlyDictionary<string, object?> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var text = new StringBuilder(context.TryGetValue("message", out var m) ? m?.ToString() : "Unhandled exception in event loop");
        foreach (var (key, value) in context.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (key is "message" or "exception") continue;
            text.Append('\n').Append(key).Append(": ").Append(value);
        }
        if (context.TryGetValue("exception", out var ex) && ex is Exception exception) _log.Error(exception, text.ToString());
        else _log.Error(text.ToString());
    }

    /// <summary>Reports an error that has nowhere to go, with the object it concerns.</summary>
    internal void ReportException(string message, Exception exception, object? source)
    {
        var context = new Dictionary<string, object?> { ["message"] = message, ["exception"] = exception };
        switch (source)
        {
            case IAioTask task: context["task"] = task; break;
            case AioFuture future: context["future"] = future; break;
            case null: break;
            default: context["handle"] = source; break;
        }
        CallExceptionHandler(context);
    }

    internal UnretrievedTracker TrackUnretrieved(AioFuture future, Exception exception)
    {
        var tracker = new UnretrievedTracker(future, exception);
        // A long weak reference (trackResurrection): a tracker the GC found unreachable stays visible here until its
        // finalizer has run, so closing the loop still reports it instead of leaving it to a finalizer that may run
        // after the actor system (and its logging) is gone. Report/finalizer claim the tracker atomically.
        _unretrieved.Add(new WeakReference<UnretrievedTracker>(tracker, trackResurrection: true));
        if (_unretrieved.Count >= _unretrievedPruneAt)
        {
            _unretrieved.RemoveAll(w => !w.TryGetTarget(out var t) || !t.IsLive);
            _unretrievedPruneAt = Math.Max(64, _unretrieved.Count * 2);
        }
        return tracker;
    }

    internal void ReportUnretrieved(AioFuture future, Exception exception)
    {
        bool isTask = future is IAioTask;
        CallExceptionHandler(new Dictionary<string, object?>
        {
            ["message"] = isTask ? "Task exception was never retrieved" : "Future exception was never retrieved",
            ["exception"] = exception,
            [isTask ? "task" : "future"] = future,
        });
    }

    /// <summary>From the finalizer thread: report on the loop while it runs, else straight to the handler.</summary>
    internal void ReportUnretrievedFromFinalizer(AioFuture future, Exception exception)
    {
        if (!IsClosed && PostThreadsafe(new ReadyItem(StateActionWork.Instance, (Action<object?>)(_ => ReportUnretrieved(future, exception)), null)))
            return;
        ReportUnretrieved(future, exception);
    }

    private void ReportAllUnretrieved()
    {
        foreach (var w in _unretrieved)
            if (w.TryGetTarget(out var t)) t.Report();
        _unretrieved.Clear();
    }
}
