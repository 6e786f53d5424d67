using System.Collections.Concurrent;
using Akka.Actor;
using static Actors.Asyncio.Internal.RemoteQueueProtocol;

namespace Actors.Asyncio.Internal;

/// <summary>A pending remote command: the waiter the caller awaits, with the request id the client actor gave it.</summary>
internal interface IRemoteQueueOp
{
    long Id { get; set; }
    bool IsPending { get; }
    object Command(long id);
    void Complete(Reply reply);
    bool Fail(Exception error);
    /// <summary>The loop the caller waits on: its virtual clock must not jump while the command is in flight.</summary>
    AioEventLoop Loop { get; }
}

/// <summary>The state a remote handle (an <see cref="AioQueue{T}"/> returned by OpenAsync) shares with its client actor:
/// the host's last reported state, the leases delivered to callers and not yet marked done.</summary>
internal sealed class RemoteQueueHandle<T>
{
    public RemoteQueueHandle(ActorSystem system, string name, IActorRef host)
    {
        System = system;
        Name = name;
        Host = host;
    }

    public ActorSystem System { get; }
    public string Name { get; }
    public IActorRef Host { get; }
    public IActorRef Client = ActorRefs.Nobody;
    public AioQueue<T>? Queue;

    public volatile int Count;
    public volatile int Unfinished;
    public volatile bool ShutDown;
    /// <summary>Set once the host is gone: every command fails from then on.</summary>
    public volatile bool HostGone;

    /// <summary>Leases of the items delivered to this handle's callers and not yet marked done, oldest first.</summary>
    public readonly ConcurrentQueue<long> Delivered = new();

    /// <summary>Commands sent and not answered, by request id. Callers send straight to the host (with the client actor
    /// as sender, so the reply comes back to it): one thread hop less per round trip than going through the actor.</summary>
    public readonly ConcurrentDictionary<long, IRemoteQueueOp> Pending = new();
    private long _nextId;

    /// <summary>Sends <paramref name="op"/>'s command to the host; caller's thread.</summary>
    public void Send(IRemoteQueueOp op)
    {
        long id = Interlocked.Increment(ref _nextId);
        op.Id = id;
        Pending[id] = op;
        // The host may have gone while we registered: the client actor already failed what was pending then.
        if (HostGone) { if (Pending.TryRemove(id, out _)) Drop(op, Errors.RemoteQueueHostGone((object?)Queue ?? Name, "use")); return; }
        Host.Tell(op.Command(id), Client);
    }

    /// <summary>A waiter was cancelled: withdraw its command (the host then gives back an item already taken for it).</summary>
    public void Cancel(IRemoteQueueOp op)
    {
        if (op.Id == 0 || !Pending.TryRemove(op.Id, out _)) return;
        op.Loop.EndExternalWork();
        Host.Tell(new Cancel(op.Id), Client);
    }

    /// <summary>Fails every pending command (the host is gone).</summary>
    public void FailAll()
    {
        foreach (var id in Pending.Keys)
            if (Pending.TryRemove(id, out var op)) Drop(op, Errors.RemoteQueueHostGone((object?)Queue ?? Name, "use"));
    }

    public static void Drop(IRemoteQueueOp op, Exception error)
    {
        op.Loop.EndExternalWork();
        op.Fail(error);
    }

    /// <summary>A message to the host on behalf of this handle (TaskDone, Return, Shutdown).</summary>
    public void Tell(object message) => Host.Tell(message, Client);

    public void Update(Reply reply)
    {
        Count = reply.Count;
        Unfinished = reply.Unfinished;
        if (reply.ShutDown) ShutDown = true;
    }

    public override string ToString() => $"\"{Name}\" at {Host.Path}";
}

/// <summary>The client actor of one remote handle: the address the host replies to; it completes the waiters with
/// the replies. A real actor (not a minimal ref), so that the host can watch it: its
/// termination, or its node's, gives the items it leased back to the queue.</summary>
internal sealed class RemoteQueueClient<T> : UntypedActor
{
    private readonly RemoteQueueHandle<T> _handle;
    private readonly TaskCompletionSource<Connected> _connected;

    public RemoteQueueClient(RemoteQueueHandle<T> handle, TaskCompletionSource<Connected> connected)
    {
        _handle = handle;
        _connected = connected;
    }

    protected override void PreStart()
    {
        Context.Watch(_handle.Host);
        _handle.Host.Tell(new Connect(typeof(T).FullName ?? typeof(T).Name));
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Connected connected:
                _handle.Update(connected);
                _connected.TrySetResult(connected);
                break;
            case Reply reply:
                _handle.Update(reply);
                if (_handle.Pending.TryRemove(reply.Id, out var pending))
                {
                    pending.Loop.EndExternalWork();
                    pending.Complete(reply);
                }
                // The get was cancelled while its item was on the way: the item goes back to the head of the queue.
                else if (reply is Got got) _handle.Host.Tell(new Return(got.Lease));
                break;
            case Terminated t when t.ActorRef.Equals(_handle.Host):
                _handle.HostGone = true;
                _handle.ShutDown = true;
                _connected.TrySetException(Errors.RemoteQueueHostGone(_handle.Name, "open"));
                _handle.FailAll();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    protected override void PostStop()
    {
        _handle.HostGone = true;
        _connected.TrySetException(Errors.RemoteQueueHostGone(_handle.Name, "open"));
        _handle.FailAll();
    }
}

/// <summary>A remote <see cref="AioQueue{T}.PutAsync"/>: the item travels already serialized.</summary>
internal sealed class RemotePutWaiter<T>(AioEventLoop loop, RemoteQueueHandle<T> handle, (int SerializerId, string Manifest, byte[] Bytes) item)
    : LoopWaiter<bool>(loop), IRemoteQueueOp
{
    public long Id { get; set; }
    public object Command(long id) => new Put(id, item.SerializerId, item.Manifest, item.Bytes);

    public void Complete(Reply reply)
    {
        if (reply is Failed f) Fail(Recreate(f.Kind, f.Message));
        else Wake(true);
    }

    protected override void OnCancelled() => handle.Cancel(this);
}

/// <summary>A remote <see cref="AioQueue{T}.GetAsync"/>: woken with the item and its lease. A getter cancelled after
/// its item left the host returns it (it goes back to the head of the queue); one that receives it records the lease,
/// which its handle's next TaskDone marks.</summary>
internal sealed class RemoteGetWaiter<T>(AioEventLoop loop, RemoteQueueHandle<T> handle) : LoopWaiter<T>(loop), IRemoteQueueOp
{
    private long _lease;

    public long Id { get; set; }
    public object Command(long id) => new Get(id);

    public void Complete(Reply reply)
    {
        if (reply is Failed f) { Fail(Recreate(f.Kind, f.Message)); return; }
        var got = (Got)reply;
        T item;
        try { item = RemoteQueueSerializer.DeserializeItem<T>(handle.System, got.SerializerId, got.Manifest, got.Bytes, (object?)handle.Queue ?? handle.Name); }
        catch (Exception e)
        {
            handle.Tell(new Return(got.Lease));
            Fail(e);
            return;
        }
        _lease = got.Lease;
        if (!Wake(item)) handle.Tell(new Return(got.Lease));
    }

    protected override void OnCancelled() => handle.Cancel(this);

    protected override void OnDeliveryRefused(T value) => handle.Tell(new Return(_lease));

    protected override void OnDelivered(T value) => handle.Delivered.Enqueue(_lease);
}

/// <summary>A remote <see cref="AioQueue{T}.JoinAsync"/>.</summary>
internal sealed class RemoteJoinWaiter<T>(AioEventLoop loop, RemoteQueueHandle<T> handle) : LoopWaiter<bool>(loop), IRemoteQueueOp
{
    public long Id { get; set; }
    public object Command(long id) => new Join(id);

    public void Complete(Reply reply)
    {
        if (reply is Failed f) Fail(Recreate(f.Kind, f.Message));
        else Wake(true);
    }

    protected override void OnCancelled() => handle.Cancel(this);
}
