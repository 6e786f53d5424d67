using System.Runtime.CompilerServices;

namespace Actors.Asyncio.Internal;

/// <summary>A task waiting on a primitive (a lock acquirer, an event or condition waiter): the one waiter abstraction,
/// plus its place in the primitive's <see cref="WaiterQueue{T}"/> and its cancellation token.</summary>
/// <remarks>The hooks run on the owner's loop; each is marshalled to the primitive's home loop through
/// <see cref="SyncHome.Route"/> (inline when that is the same loop). Its queue links are touched on the home loop only.</remarks>
internal sealed class SyncWaiter<T> : LoopWaiter<T>, IQueuedWaiter<SyncWaiter<T>>
{
    private readonly ISyncHost _host;
    // Boxed only when a cancellable token is given: most waits have none, and a waiter is per waiting task.
    private StrongBox<CancellationTokenRegistration>? _registration;

    /// <summary>A waiter for the task running now on <paramref name="loop"/> (the caller's loop; the home loop for a
    /// caller on a plain thread, which then gets no owner and resumes on the thread pool).</summary>
    public SyncWaiter(ISyncHost host, AioEventLoop loop) : base(loop) => _host = host;

    // The waiter's links in the primitive's WaiterQueue (intrusive: no node object per waiter); home loop only.
    public SyncWaiter<T>? QueueNext { get; set; }
    public SyncWaiter<T>? QueuePrev { get; set; }
    public bool Queued { get; set; }

    /// <summary>A token cancelled while the waiter is pending fails it with <see cref="OperationCanceledException"/>
    /// (not <see cref="CancelledException"/>: the task itself is not being cancelled) and unlinks it.</summary>
    public void Watch(CancellationToken token)
    {
        if (token.CanBeCanceled)
            _registration = new(token.UnsafeRegister(static (s, t) => ((SyncWaiter<T>)s!).OnTokenCancelled(t), this));
    }

    private void OnTokenCancelled(CancellationToken token)
    {
        if (Fail(new OperationCanceledException(token))) SyncHome.Route(_host.Home, _host, SyncCommand.Unlink, this);
    }

    protected override void OnCancelled()
    {
        _registration?.Value.Unregister();
        SyncHome.Route(_host.Home, _host, SyncCommand.Unlink, this);
    }

    protected override void OnDelivered(T value)
    {
        _registration?.Value.Unregister();
        if (_host.TracksDelivery) SyncHome.Route(_host.Home, _host, SyncCommand.Delivered, this);
    }

    protected override void OnDeliveryRefused(T value)
    {
        _registration?.Value.Unregister();
        SyncHome.Route(_host.Home, _host, SyncCommand.Refused, this);
    }
}
