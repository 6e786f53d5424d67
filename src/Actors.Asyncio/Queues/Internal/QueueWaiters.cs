namespace Actors.Asyncio.Internal;

/// <summary>A parked <see cref="AioQueue{T}.GetAsync"/>: woken with the item itself (hand-off). A getter cancelled after
/// the hand-off refuses the item, which goes back to the head of the queue (asyncio pitfall 1).</summary>
internal sealed class QueueGetWaiter<T>(AioEventLoop loop, AioQueue<T> queue) : LoopWaiter<T>(loop), IQueuedWaiter<QueueGetWaiter<T>>
{
    public AioQueue<T> Queue { get; } = queue;
    public QueueGetWaiter<T>? QueuePrev { get; set; }
    public QueueGetWaiter<T>? QueueNext { get; set; }
    public bool Queued { get; set; }

    /// <summary>The refused item on its way back to the home loop.</summary>
    public T Refused = default!;

    protected override void OnCancelled() => Queue.OnWaiterCancelled(this);
    protected override void OnDeliveryRefused(T value) => Queue.OnGetRefused(this, value);
    protected override Exception? OnDelivering(T value) => Queue.OnGetDelivered(value);
}

/// <summary>A parked <see cref="AioQueue{T}.PutAsync"/>: woken with a slot reserved for it; the item enters the queue
/// only when the wake-up reaches the putter, so a putter cancelled in between adds nothing and hands the slot on.</summary>
internal sealed class QueuePutWaiter<T>(AioEventLoop loop, AioQueue<T> queue, T item) : LoopWaiter<bool>(loop), IQueuedWaiter<QueuePutWaiter<T>>
{
    public AioQueue<T> Queue { get; } = queue;
    public T Item { get; } = item;
    public QueuePutWaiter<T>? QueuePrev { get; set; }
    public QueuePutWaiter<T>? QueueNext { get; set; }
    public bool Queued { get; set; }

    protected override void OnCancelled() => Queue.OnWaiterCancelled(this);
    protected override void OnDeliveryRefused(bool value) => Queue.OnPutRefused();
    protected override Exception? OnDelivering(bool value) => Queue.OnPutDelivered(this);
}

/// <summary>A parked <see cref="AioQueue{T}.JoinAsync"/>.</summary>
internal sealed class QueueJoinWaiter<T>(AioEventLoop loop, AioQueue<T> queue) : LoopWaiter<bool>(loop), IQueuedWaiter<QueueJoinWaiter<T>>
{
    public AioQueue<T> Queue { get; } = queue;
    public QueueJoinWaiter<T>? QueuePrev { get; set; }
    public QueueJoinWaiter<T>? QueueNext { get; set; }
    public bool Queued { get; set; }

    protected override void OnCancelled() => Queue.OnWaiterCancelled(this);
}

/// <summary>What the home loop is asked to do on behalf of another loop or thread.</summary>
internal enum QueueOp
{
    Get, Put, PutItem, Join, RemoveWaiter, ReturnRefused, CommitPut, ReleaseSlot, Shutdown, ShutdownImmediate, WakeJoiners, Sync,
}

/// <summary>A command for the queue's home loop, carried by a <see cref="ReadyItem"/> (slot a: the queue, slot b: the
/// waiter or call), one shared instance per operation, so a cross-loop call allocates only its waiter.</summary>
internal sealed class QueueWork<T> : ILoopWork
{
    private static readonly QueueWork<T>[] s_ops =
        Enum.GetValues<QueueOp>().Select(op => new QueueWork<T>(op)).ToArray();

    private readonly QueueOp _op;

    private QueueWork(QueueOp op) => _op = op;

    public static QueueWork<T> Of(QueueOp op) => s_ops[(int)op];

    public void Execute(object? a, object? b) => ((AioQueue<T>)a!).RunOnHome(_op, b);

    public override string ToString() => $"<AioQueue {_op}>";
}

/// <summary>A synchronous call from a plain thread (PutNoWait, GetNoWait, TryPut, TryGet): runs on the home loop while
/// the caller blocks. Never used from a loop thread.</summary>
internal sealed class QueueSyncCall<T>(Func<AioQueue<T>, QueueSyncCall<T>, bool> body, T item)
{
    public readonly T Item = item;
    public T Result = default!;
    public bool Success;
    public Exception? Error;
    public readonly ManualResetEventSlim Done = new(false);

    public void Run(AioQueue<T> queue)
    {
        try { Success = body(queue, this); }
        catch (Exception e) { Error = e; }
        finally { Done.Set(); }
    }
}
