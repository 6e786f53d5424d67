using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Actors.Asyncio.Internal;
using Akka.Actor;

namespace Actors.Asyncio;

/// <summary>asyncio.Queue: a first-in first-out queue for producer and consumer tasks, with an optional capacity
/// (<c>maxsize</c>), a count of unfinished items (<see cref="TaskDone"/>, <see cref="JoinAsync"/>) and Python 3.13's
/// <see cref="Shutdown"/>. It is a bounded-buffer actor: a put beyond the capacity parks the putter (its reply is
/// deferred), which is backpressure without blocking a thread.</summary>
/// <remarks>
/// <para><b>Home loop.</b> The items and the waiters belong to one event loop, the queue's home: the loop passed to the
/// constructor, else the first loop that uses the queue. Calls made on the home loop's thread (from its tasks, callbacks
/// and the actors on its dispatcher) run directly, with no message and no lock: a <see cref="PutAsync"/> with room and a
/// <see cref="GetAsync"/> with an item complete synchronously and allocate nothing, a parked one costs one waiter.</para>
/// <para><b>Other loops and threads.</b> Awaitable members called anywhere else are messages to the home loop and
/// complete on the caller's loop (or, from a plain thread, on the thread pool), with the same FIFO fairness, the same
/// backpressure and the same cancellation guarantees. <see cref="TaskDone"/> and <see cref="Shutdown"/> work from any
/// thread without waiting. <see cref="Count"/>, <see cref="IsEmpty"/> and <see cref="IsFull"/> read a snapshot there.
/// <see cref="PutNoWait"/>, <see cref="GetNoWait"/>, <see cref="TryPut"/> and <see cref="TryGet"/> make a synchronous
/// round trip to the home loop from a plain thread, but from another loop's thread they throw
/// <see cref="InvalidOperationException"/> (blocking one loop on another is how deadlocks start): await
/// <see cref="PutAsync"/>/<see cref="GetAsync"/> there. A queue that no loop has used yet cannot be used from a plain
/// thread (there is no loop to own it): pass the loop to the constructor.</para>
/// <para><b>Actors.</b> <see cref="Ref"/> is the queue's actor address: plain actors send it
/// <see cref="QueueProtocol"/> messages; a <see cref="QueueProtocol.Put"/> is answered only once the item is in.</para>
/// <para><b>Cancellation.</b> A cancelled <see cref="GetAsync"/> never loses an item (one already handed to it goes
/// back to the head of the queue and on to the next getter), and a cancelled <see cref="PutAsync"/> never adds one.
/// Waiters are served first-in first-out.</para>
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
public partial class AioQueue<T>
{
    private const int Open = 0, ShutDownState = 1, ImmediateState = 2;
    private static int s_ids;

    private readonly ItemBuffer<T> _buffer;
    private readonly WaiterQueue<QueueGetWaiter<T>> _getters = new();
    private readonly WaiterQueue<QueuePutWaiter<T>> _putters = new();
    private readonly WaiterQueue<QueueJoinWaiter<T>> _joiners = new();
    private readonly int _id = Interlocked.Increment(ref s_ids);
    private AioEventLoop? _home;
    private QueueRef<T>? _ref;
    /// <summary>Items in the buffer; written on the home loop, read anywhere (the snapshot Count shows).</summary>
    private int _count;
    /// <summary>Slots taken: buffered items, slots promised to woken putters, and items on their way from other
    /// threads. Atomic, because a put from another loop or thread claims its slot where it runs and then sends the
    /// item, with no round trip; a freed slot passes straight to the oldest parked putter, so nobody barges. Unused
    /// when unbounded.</summary>
    private int _occupied;
    /// <summary>asyncio's _unfinished_tasks; atomic so that TaskDone can check it from any thread.</summary>
    private int _unfinished;
    private int _state;

    /// <summary>asyncio.Queue(maxsize): a FIFO queue holding at most <paramref name="maxSize"/> items (0 = unbounded).</summary>
    /// <param name="maxSize">The capacity; 0 for an unbounded queue.</param>
    /// <param name="loop">The home loop; by default the first loop that uses the queue. Pass it when plain threads
    /// will use the queue before any task does.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    public AioQueue(int maxSize = 0, AioEventLoop? loop = null)
        : this(new FifoBuffer<T>(CheckMaxSize(maxSize)), maxSize, loop) { }

    private protected AioQueue(ItemBuffer<T> buffer, int maxSize, AioEventLoop? loop)
    {
        CheckMaxSize(maxSize);
        _buffer = buffer;
        MaxSize = maxSize;
        _home = loop;
    }

    private protected static int CheckMaxSize(int maxSize) =>
        maxSize >= 0 ? maxSize : throw Errors.QueueMaxSize(maxSize, nameof(maxSize));

    /// <summary>asyncio's Queue.maxsize: the capacity, 0 when unbounded.</summary>
    public int MaxSize { get; }

    /// <summary>asyncio's qsize(): the number of items queued. Exact on the home loop; elsewhere a snapshot.</summary>
    public int Count => _remote == null ? Volatile.Read(ref _count) : _remote.Count;

    /// <summary>asyncio's empty(): true when no item is queued. Exact on the home loop; elsewhere a snapshot.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>asyncio's full(): true when <see cref="MaxSize"/> items are queued (never for an unbounded queue).
    /// Exact on the home loop; elsewhere a snapshot.</summary>
    public bool IsFull => MaxSize > 0 && Count >= MaxSize;

    /// <summary>True once <see cref="Shutdown"/> was called (asyncio 3.13 keeps this in <c>_is_shutdown</c>).</summary>
    public bool IsShutDown => _remote == null ? State != Open : _remote.ShutDown;

    /// <summary>asyncio's _unfinished_tasks: items put and not yet marked done with <see cref="TaskDone"/>.</summary>
    public int UnfinishedTasks => _remote == null ? Volatile.Read(ref _unfinished) : _remote.Unfinished;

    /// <summary>The loop that owns the items and waiters, or null until a loop first uses the queue.</summary>
    public AioEventLoop? Loop => Volatile.Read(ref _home);

    /// <summary>The queue's actor: plain actors (a ReceiveActor, a stream stage) feed and drain it with
    /// <see cref="QueueProtocol"/> messages. A <see cref="QueueProtocol.Put"/> is answered with
    /// <see cref="QueueProtocol.Putted"/> once the item is in, so a full queue holds the sender back; a
    /// <see cref="QueueProtocol.Get"/> is answered with <see cref="QueueProtocol.Got"/> once an item is there.
    /// Failures come back as <see cref="QueueProtocol.CommandFailed"/>.</summary>
    /// <exception cref="InvalidOperationException">Read from a plain thread before any loop used the queue.</exception>
    public IActorRef Ref
    {
        get
        {
            var existing = Volatile.Read(ref _ref);
            if (existing != null) return existing;
            var created = new QueueRef<T>(this, Home(nameof(Ref)), _id);
            return Interlocked.CompareExchange(ref _ref, created, null) ?? created;
        }
    }

    // ------------------------------------------------------------------ put

    /// <summary>asyncio's Queue.put(item): puts <paramref name="item"/> in the queue, waiting while it is full. Completes
    /// at once (without yielding) when there is room. Putters are served first-in first-out.</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Cancels the wait; a cancelled put adds nothing.</param>
    /// <exception cref="QueueShutDownException">The queue is shut down (also when it shuts down while waiting).</exception>
    /// <exception cref="CancelledException">The awaiting task or <paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">Called from a plain thread before any loop used the queue.</exception>
    public Task PutAsync(T item, CancellationToken cancellationToken = default)
    {
        if (_remote != null) return RemotePut(item, cancellationToken);
        var home = Home(nameof(PutAsync));
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        if (State != Open) return Task.FromException(Errors.QueueShutDown(this, "put into"));
        if (home.IsOnLoopThread)
        {
            if (TryClaimSlot()) { Insert(item); return Task.CompletedTask; }
            var waiter = new QueuePutWaiter<T>(home, this, item);
            waiter.Attach();
            if (waiter.IsPending)
            {
                _putters.Enqueue(waiter);
                Register(waiter, cancellationToken);
            }
            return waiter.Task;
        }
        if (TryClaimSlot())
        {
            // Room now: the slot is ours, the item follows as a message (the home loop's inbox is FIFO per sender).
            Interlocked.Increment(ref _unfinished);
            if (home.PostThreadsafe(new ReadyItem(QueueWork<T>.Of(QueueOp.PutItem), this, new StrongBox<T>(item)))) return Task.CompletedTask;
            FreeSlot();
            Interlocked.Decrement(ref _unfinished);
            return Task.FromException(Errors.LoopClosed(home));
        }
        var remote = new QueuePutWaiter<T>(CallerLoop(home), this, item);
        return SendWaiter(home, remote, QueueOp.Put, cancellationToken).Task;
    }

    /// <summary>asyncio's Queue.put_nowait(item): puts <paramref name="item"/> without waiting.</summary>
    /// <param name="item">The item.</param>
    /// <exception cref="QueueFullException">The queue is full.</exception>
    /// <exception cref="QueueShutDownException">The queue is shut down.</exception>
    /// <exception cref="InvalidOperationException">Called on another loop's thread (await <see cref="PutAsync"/>
    /// there), or from a plain thread before any loop used the queue.</exception>
    public void PutNoWait(T item)
    {
        if (_remote != null) throw Errors.RemoteQueueSyncCall(this, nameof(PutNoWait), nameof(PutAsync));
        var home = Home(nameof(PutNoWait));
        if (!home.IsOnLoopThread) { SyncCall(home, nameof(PutNoWait), nameof(PutAsync), static (q, c) => { q.PutNoWait(c.Item); return true; }, item); return; }
        if (State != Open) throw Errors.QueueShutDown(this, "put into");
        if (!TryClaimSlot()) throw Errors.QueueFull(this);
        Insert(item);
    }

    /// <summary>put_nowait without the exception: false when the queue is full or shut down.</summary>
    /// <param name="item">The item.</param>
    /// <exception cref="InvalidOperationException">Called on another loop's thread (await <see cref="PutAsync"/>
    /// there), or from a plain thread before any loop used the queue.</exception>
    public bool TryPut(T item)
    {
        if (_remote != null) throw Errors.RemoteQueueSyncCall(this, nameof(TryPut), nameof(PutAsync));
        var home = Home(nameof(TryPut));
        if (!home.IsOnLoopThread) return SyncCall(home, nameof(TryPut), nameof(PutAsync), static (q, c) => q.TryPut(c.Item), item).Success;
        if (State != Open || !TryClaimSlot()) return false;
        Insert(item);
        return true;
    }

    // ------------------------------------------------------------------ get

    /// <summary>asyncio's Queue.get(): removes and returns the next item, waiting while the queue is empty. Completes
    /// at once (without yielding, allocating nothing) when an item is there. Getters are served first-in first-out.
    /// Returns a <see cref="ValueTask{T}"/>: await it once, or call <c>AsTask()</c> to pass it to a combinator.</summary>
    /// <param name="cancellationToken">Cancels the wait; a cancelled get never loses an item.</param>
    /// <exception cref="QueueShutDownException">The queue is shut down and empty (asyncio: gets drain, then raise).</exception>
    /// <exception cref="CancelledException">The awaiting task or <paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">Called from a plain thread before any loop used the queue.</exception>
    public ValueTask<T> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_remote != null) return RemoteGet(cancellationToken);
        var home = Home(nameof(GetAsync));
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<T>(cancellationToken);
        if (home.IsOnLoopThread)
        {
            if (_count > 0 && State != ImmediateState) return new ValueTask<T>(Take());
            if (State != Open)
            {
                DropIfImmediate();
                return ValueTask.FromException<T>(Errors.QueueShutDown(this, "get from"));
            }
            var waiter = new QueueGetWaiter<T>(home, this);
            waiter.Attach();
            if (waiter.IsPending)
            {
                _getters.Enqueue(waiter);
                Register(waiter, cancellationToken);
            }
            return new ValueTask<T>(waiter.Task);
        }
        var remote = new QueueGetWaiter<T>(CallerLoop(home), this);
        return new ValueTask<T>(SendWaiter(home, remote, QueueOp.Get, cancellationToken).Task);
    }

    /// <summary>asyncio's Queue.get_nowait(): removes and returns the next item without waiting.</summary>
    /// <exception cref="QueueEmptyException">The queue is empty.</exception>
    /// <exception cref="QueueShutDownException">The queue is shut down and empty.</exception>
    /// <exception cref="InvalidOperationException">Called on another loop's thread (await <see cref="GetAsync"/>
    /// there), or from a plain thread before any loop used the queue.</exception>
    public T GetNoWait()
    {
        if (_remote != null) throw Errors.RemoteQueueSyncCall(this, nameof(GetNoWait), nameof(GetAsync));
        var home = Home(nameof(GetNoWait));
        if (!home.IsOnLoopThread) return SyncCall(home, nameof(GetNoWait), nameof(GetAsync), static (q, c) => { c.Result = q.GetNoWait(); return true; }, default!).Result;
        DropIfImmediate();
        if (_count > 0) return Take();
        throw State != Open ? Errors.QueueShutDown(this, "get from") : Errors.QueueEmpty(this);
    }

    /// <summary>get_nowait without the exception: false when the queue is empty (shut down or not).</summary>
    /// <param name="item">The item taken, or default.</param>
    /// <exception cref="InvalidOperationException">Called on another loop's thread (await <see cref="GetAsync"/>
    /// there), or from a plain thread before any loop used the queue.</exception>
    public bool TryGet(out T item)
    {
        if (_remote != null) throw Errors.RemoteQueueSyncCall(this, nameof(TryGet), nameof(GetAsync));
        var home = Home(nameof(TryGet));
        if (!home.IsOnLoopThread)
        {
            var call = SyncCall(home, nameof(TryGet), nameof(GetAsync), static (q, c) => q.TryGet(out c.Result), default!);
            item = call.Result;
            return call.Success;
        }
        DropIfImmediate();
        if (_count > 0) { item = Take(); return true; }
        item = default!;
        return false;
    }

    // ------------------------------------------------------------------ join

    /// <summary>asyncio's Queue.task_done(): marks one item taken earlier as processed; when every item put has been
    /// marked, <see cref="JoinAsync"/> callers resume. Works from any thread without waiting.</summary>
    /// <exception cref="InvalidOperationException">Called more times than items were put (asyncio's ValueError).</exception>
    public void TaskDone()
    {
        if (_remote != null) { RemoteTaskDone(); return; }
        int v;
        do
        {
            v = Volatile.Read(ref _unfinished);
            if (v <= 0) throw Errors.QueueTaskDoneTooManyTimes(this);
        }
        while (Interlocked.CompareExchange(ref _unfinished, v - 1, v) != v);
        if (v == 1) WakeJoinersAnywhere();
    }

    /// <summary>asyncio's Queue.join(): waits until every item put has been marked with <see cref="TaskDone"/>.
    /// Completes at once when none is unfinished. <c>GetAsync</c> alone does not release it.</summary>
    /// <param name="cancellationToken">Cancels the wait (the queue is unaffected).</param>
    /// <exception cref="CancelledException">The awaiting task or <paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">Called from a plain thread before any loop used the queue.</exception>
    public Task JoinAsync(CancellationToken cancellationToken = default)
    {
        if (_remote != null) return RemoteJoin(cancellationToken);
        var home = Home(nameof(JoinAsync));
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        if (home.IsOnLoopThread)
        {
            if (Volatile.Read(ref _unfinished) == 0) return Task.CompletedTask;
            var waiter = new QueueJoinWaiter<T>(home, this);
            waiter.Attach();
            if (waiter.IsPending)
            {
                _joiners.Enqueue(waiter);
                Register(waiter, cancellationToken);
            }
            return waiter.Task;
        }
        return SendWaiter(home, new QueueJoinWaiter<T>(CallerLoop(home), this), QueueOp.Join, cancellationToken).Task;
    }

    // ------------------------------------------------------------------ shutdown

    /// <summary>asyncio's Queue.shutdown(immediate) (Python 3.13). Puts throw <see cref="QueueShutDownException"/> from
    /// now on, and waiting putters are woken with it. Gets keep returning what is queued, then throw it; waiting getters
    /// (the queue is empty) are woken with it. With <paramref name="immediate"/> the queued items are dropped as well, the
    /// unfinished count drops by their number (releasing <see cref="JoinAsync"/> at 0) and every get throws.
    /// <see cref="TaskDone"/> still works for items taken earlier. Idempotent; an immediate shutdown may follow a plain one.
    /// From another loop or thread it takes effect at once for new puts and gets, and for the waiters when the home
    /// loop processes it.</summary>
    /// <param name="immediate">Also drop the queued items.</param>
    public void Shutdown(bool immediate = false)
    {
        if (_remote != null) { RemoteShutdown(immediate); return; }
        if (immediate) Volatile.Write(ref _state, ImmediateState);
        else Interlocked.CompareExchange(ref _state, ShutDownState, Open);
        var home = Volatile.Read(ref _home);
        if (home == null) return;   // no loop ever used it: nothing is queued or waiting
        if (home.IsOnLoopThread) ShutdownOnHome();
        else home.PostThreadsafe(new ReadyItem(QueueWork<T>.Of(QueueOp.Shutdown), this, null));
    }

    // ------------------------------------------------------------------ streams

    /// <summary>asyncio's repr: type, id, capacity, size, the first items (on the home loop), waiters, unfinished count
    /// and state, e.g. <c>&lt;AioQueue #3 maxsize=5 qsize=2 _queue=[1, 2] _putters[1] tasks=2&gt;</c>.</summary>
    public override string ToString()
    {
        if (_remote != null) return RemoteToString();
        var name = GetType().Name;
        int tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        var s = $"<{name} #{_id} maxsize={MaxSize} qsize={Count}";
        if (Volatile.Read(ref _home) is { IsOnLoopThread: true } && _count > 0)
            s += $" _queue=[{string.Join(", ", _buffer.Peek(5))}{(_count > 5 ? ", ..." : "")}]";
        if (_getters.Count > 0) s += $" _getters[{_getters.Count}]";
        if (_putters.Count > 0) s += $" _putters[{_putters.Count}]";
        if (UnfinishedTasks > 0) s += $" tasks={UnfinishedTasks}";
        if (IsShutDown) s += State == ImmediateState ? " shutdown(immediate)" : " shutdown";
        return s + ">";
    }

    // ================================================================== home-loop internals

    private int State => Volatile.Read(ref _state);

    private bool TryClaimSlot()
    {
        if (MaxSize <= 0) return true;
        int v;
        do
        {
            v = Volatile.Read(ref _occupied);
            if (v >= MaxSize) return false;
        }
        while (Interlocked.CompareExchange(ref _occupied, v + 1, v) != v);
        return true;
    }

    private void FreeSlot()
    {
        if (MaxSize > 0) Interlocked.Decrement(ref _occupied);
    }

    /// <summary>Getters and putters parked on the home loop, for tests (asyncio's len(q._getters)).</summary>
    internal int GetterCount => _getters.Count;

    internal int PutterCount => _putters.Count;

    private AioEventLoop Home(string member)
    {
        var home = Volatile.Read(ref _home);
        if (home != null) return home;
        if (_remote != null) throw Errors.RemoteQueueHandleOp(this, member);
        var current = AioEventLoop.Current ?? throw Errors.QueueUnbound(this, member);
        return Interlocked.CompareExchange(ref _home, current, null) ?? current;
    }

    /// <summary>The loop a waiter of the current caller is delivered on: the caller's own loop when it runs in a task
    /// (its task then owns the waiter: cancelling the task cancels the wait), else the home loop (continuations then run
    /// on the thread pool).</summary>
    private static AioEventLoop CallerLoop(AioEventLoop home) =>
        AioEventLoop.Current is { } current && AioEventLoop.CurrentStepTask != null ? current : home;

    /// <summary>Inserts a new item: straight to the oldest waiting getter, else into the buffer.</summary>
    private void Insert(T item)
    {
        Interlocked.Increment(ref _unfinished);
        Place(item);
    }

    /// <summary>Places an item whose slot is claimed and which counts as unfinished.</summary>
    private void Place(T item)
    {
        if (_getters.Count > 0 && HandToGetter(item)) { FreeSlot(); return; }
        _buffer.Add(item);
        Volatile.Write(ref _count, _count + 1);
    }

    private bool HandToGetter(T item)
    {
        while (_getters.Dequeue() is { } getter)
            if (getter.Wake(item)) return true;
        return false;
    }

    private T Take()
    {
        var item = _buffer.Take();
        Volatile.Write(ref _count, _count - 1);
        SlotFreed();
        return item;
    }

    /// <summary>A slot is free: it passes to the oldest parked putter (asyncio's _wakeup_next), else it is released.</summary>
    private void SlotFreed()
    {
        while (_putters.Dequeue() is { } putter)
            if (Promise(putter)) return;
        FreeSlot();
    }

    /// <summary>Wakes a putter with a slot claimed for it. Its item counts as unfinished from now on, so that a TaskDone
    /// or JoinAsync right after its put returned sees it, even before the item reached the home loop.</summary>
    private bool Promise(QueuePutWaiter<T> putter)
    {
        Interlocked.Increment(ref _unfinished);
        if (putter.Wake(true)) return true;
        Interlocked.Decrement(ref _unfinished);
        return false;
    }

    /// <summary>A promised slot comes back (its putter was cancelled after its wake-up, or the queue shut down).</summary>
    private void ReleaseSlot()
    {
        DropOneUnfinished();
        SlotFreed();
    }

    /// <summary>An item whose slot was claimed elsewhere arrives.</summary>
    private void Arrive(T item)
    {
        // Put before the shutdown reached this loop: an immediate shutdown drops it, a plain one keeps it.
        if (State != ImmediateState) Place(item);
        else ReleaseSlot();
    }

    private void WakeJoiners()
    {
        while (_joiners.Dequeue() is { } joiner) joiner.Wake(true);
    }

    private void WakeJoinersAnywhere()
    {
        var home = Volatile.Read(ref _home);
        if (home == null) return;
        if (home.IsOnLoopThread) WakeJoiners();
        else home.PostThreadsafe(new ReadyItem(QueueWork<T>.Of(QueueOp.WakeJoiners), this, null));
    }

    /// <summary>An item leaves because of an immediate shutdown: as asyncio, it no longer counts as unfinished.</summary>
    private void DropOneUnfinished()
    {
        int v;
        do
        {
            v = Volatile.Read(ref _unfinished);
            if (v <= 0) return;
        }
        while (Interlocked.CompareExchange(ref _unfinished, v - 1, v) != v);
        if (v == 1) WakeJoinersAnywhere();
    }

    /// <summary>An immediate shutdown asked from another thread may not have reached the home loop yet: apply its drop
    /// before serving a get, so no get returns an item the shutdown discarded.</summary>
    private void DropIfImmediate()
    {
        if (State != ImmediateState || _count == 0) return;
        int n = _count;
        _buffer.Clear();
        Volatile.Write(ref _count, 0);
        if (MaxSize > 0) Interlocked.Add(ref _occupied, -n);
        for (int i = 0; i < n; i++) DropOneUnfinished();
        if (Volatile.Read(ref _unfinished) == 0) WakeJoiners();
    }

    private void ShutdownOnHome()
    {
        DropIfImmediate();
        while (_getters.Dequeue() is { } getter) getter.Fail(Errors.QueueShutDown(this, "get from"));
        while (_putters.Dequeue() is { } putter) putter.Fail(Errors.QueueShutDown(this, "put into"));
    }

    private void Register<TValue>(LoopWaiter<TValue> waiter, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled) return;
        var registration = cancellationToken.Register(
            static w => ((ICancellableWait)w!).CancelWait("the cancellation token was cancelled"), waiter);
        waiter.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Unregister(), registration,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private LoopWaiter<TValue> SendWaiter<TValue>(AioEventLoop home, LoopWaiter<TValue> waiter, QueueOp op, CancellationToken cancellationToken)
    {
        waiter.Attach();
        if (!waiter.IsPending) return waiter;
        Register(waiter, cancellationToken);
        if (!home.PostThreadsafe(new ReadyItem(QueueWork<T>.Of(op), this, waiter))) waiter.Fail(Errors.LoopClosed(home));
        return waiter;
    }

    private QueueSyncCall<T> SyncCall(AioEventLoop home, string member, string asyncAlternative,
        Func<AioQueue<T>, QueueSyncCall<T>, bool> body, T item)
    {
        if (AioEventLoop.Current != null) throw Errors.QueueSyncCallFromOtherLoop(this, home, member, asyncAlternative);
        var call = new QueueSyncCall<T>(body, item);
        if (!home.PostThreadsafe(new ReadyItem(QueueWork<T>.Of(QueueOp.Sync), this, call))) throw Errors.LoopClosed(home);
        call.Done.Wait();
        call.Done.Dispose();
        if (call.Error != null) ExceptionDispatchInfo.Throw(call.Error);
        return call;
    }

    /// <summary>Runs a command sent by another loop or thread; on the home loop thread.</summary>
    internal void RunOnHome(QueueOp op, object? arg)
    {
        switch (op)
        {
            case QueueOp.Put:
            {
                var w = (QueuePutWaiter<T>)arg!;
                if (!w.IsPending) return;
                if (State != Open) { w.Fail(Errors.QueueShutDown(this, "put into")); return; }
                // The item goes in when the wake-up reaches the putter, so a putter cancelled meanwhile adds nothing.
                if (!TryClaimSlot()) _putters.Enqueue(w);
                else if (!Promise(w)) FreeSlot();
                return;
            }
            case QueueOp.Get:
            {
                var w = (QueueGetWaiter<T>)arg!;
                if (!w.IsPending) return;
                DropIfImmediate();
                if (_count > 0)
                {
                    var item = Take();
                    if (!w.Wake(item)) ReturnItem(item);
                }
                else if (State != Open) w.Fail(Errors.QueueShutDown(this, "get from"));
                else _getters.Enqueue(w);
                return;
            }
            case QueueOp.Join:
            {
                var w = (QueueJoinWaiter<T>)arg!;
                if (!w.IsPending) return;
                if (Volatile.Read(ref _unfinished) == 0) w.Wake(true);
                else _joiners.Enqueue(w);
                return;
            }
            case QueueOp.RemoveWaiter:
                RemoveWaiter(arg!);
                return;
            case QueueOp.ReturnRefused:
            {
                var w = (QueueGetWaiter<T>)arg!;
                var item = w.Refused;
                w.Refused = default!;
                ReturnItem(item);
                return;
            }
            case QueueOp.CommitPut:
                Arrive(((QueuePutWaiter<T>)arg!).Item);
                return;
            case QueueOp.PutItem:
                Arrive(((StrongBox<T>)arg!).Value!);
                return;
            case QueueOp.ReleaseSlot:
                ReleaseSlot();
                return;
            case QueueOp.Shutdown:
                ShutdownOnHome();
                return;
            case QueueOp.WakeJoiners:
                WakeJoiners();
                return;
            case QueueOp.Sync:
                ((QueueSyncCall<T>)arg!).Run(this);
                return;
        }
    }

    private void RemoveWaiter(object waiter)
    {
        switch (waiter)
        {
            case QueueGetWaiter<T> g: _getters.Remove(g); break;
            case QueuePutWaiter<T> p: _putters.Remove(p); break;
            case QueueJoinWaiter<T> j: _joiners.Remove(j); break;
        }
    }

    /// <summary>An item a cancelled getter refused: back to the head, or on to the next getter.</summary>
    private void ReturnItem(T item)
    {
        if (State == ImmediateState) { DropOneUnfinished(); return; }
        if (_getters.Count > 0 && HandToGetter(item)) return;
        // It had left its slot; taking one back may exceed maxsize for a moment, which beats losing the item.
        if (MaxSize > 0) Interlocked.Increment(ref _occupied);
        _buffer.ReturnToHead(item);
        Volatile.Write(ref _count, _count + 1);
    }

    // Waiter hooks: they run on the waiter's loop thread (or, for a token cancellation, on the token's thread), so
    // anything that touches the queue's state is sent to the home loop unless already there.

    internal void OnWaiterCancelled(object waiter)
    {
        var home = _home!;
        if (home.IsOnLoopThread) RemoveWaiter(waiter);
        else home.PostThreadsafe(new ReadyItem(QueueWork<T>.Of(QueueOp.RemoveWaiter), this, waiter));
    }

    internal void OnGetRefused(QueueGetWaiter<T> waiter, T item)
    {
        var home = _home!;
        if (home.IsOnLoopThread) { ReturnItem(item); return; }
        waiter.Refused = item;
        home.PostThreadsafe(new ReadyItem(QueueWork<T>.Of(QueueOp.ReturnRefused), this, waiter));
    }

    /// <summary>A getter is about to receive its item: after an immediate shutdown, asyncio's getter would find the
    /// item discarded and raise, so do the same.</summary>
    internal Exception? OnGetDelivered(T item)
    {
        if (State != ImmediateState) return null;
        DropOneUnfinished();
        return Errors.QueueShutDown(this, "get from");
    }

    internal void OnPutRefused()
    {
        var home = _home!;
        if (home.IsOnLoopThread) ReleaseSlot();
        else home.PostThreadsafe(new ReadyItem(QueueWork<T>.Of(QueueOp.ReleaseSlot), this, null));
    }

    /// <summary>A putter's reserved slot reaches it: the item goes in now (asyncio: the woken putter runs put_nowait).</summary>
    internal Exception? OnPutDelivered(QueuePutWaiter<T> waiter)
    {
        var home = _home!;
        if (home.IsOnLoopThread)
        {
            if (State != Open)
            {
                ReleaseSlot();
                return Errors.QueueShutDown(this, "put into");
            }
            Place(waiter.Item);
            return null;
        }
        if (State != Open)
        {
            home.PostThreadsafe(new ReadyItem(QueueWork<T>.Of(QueueOp.ReleaseSlot), this, null));
            return Errors.QueueShutDown(this, "put into");
        }
        home.PostThreadsafe(new ReadyItem(QueueWork<T>.Of(QueueOp.CommitPut), this, waiter));
        return null;
    }
}
