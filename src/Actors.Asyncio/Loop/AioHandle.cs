using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.Handle: a callback scheduled with <see cref="AioEventLoop.CallSoon"/>; cancel it before it runs
/// and it never runs.</summary>
public class AioHandle : ILoopWork
{
    private readonly Action _callback;
    private volatile bool _cancelled;

    internal AioHandle(AioEventLoop loop, Action callback)
    {
        Loop = loop;
        _callback = callback;
    }

    /// <summary>The loop the callback is scheduled on.</summary>
    public AioEventLoop Loop { get; }

    /// <summary>asyncio.Handle.cancelled(): true once <see cref="Cancel"/> was called.</summary>
    public bool IsCancelled => _cancelled;

    /// <summary>asyncio.Handle.cancel(): the callback will not run. Safe from any thread; no effect once it ran.</summary>
    public virtual void Cancel() => _cancelled = true;

    void ILoopWork.Execute(object? a, object? b)
    {
        if (!_cancelled) _callback();
    }

    /// <summary>asyncio's repr: the handle and its state.</summary>
    public override string ToString() => $"<{GetType().Name} {_callback.Method.Name}{(_cancelled ? " [cancelled]" : "")}>";
}
