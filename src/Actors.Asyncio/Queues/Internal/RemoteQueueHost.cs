using Akka.Actor;
using static Actors.Asyncio.Internal.RemoteQueueProtocol;

namespace Actors.Asyncio.Internal;

/// <summary>The actor that serves a published queue to remote handles. It runs on the queue's home loop dispatcher, so
/// it calls the queue directly (a put with room or a get with an item completes inside the message). It records, per
/// client actor, the items handed out and not yet marked done (leases) and watches every client: when one terminates
/// (stopped, or its node lost by the failure detector) its leased items go back to the head of the queue in their
/// original order and its pending commands are cancelled — at-least-once delivery across nodes.</summary>
internal sealed class RemoteQueueHost<T> : UntypedActor
{
    private readonly AioQueue<T> _queue;
    private readonly string _name;
    private readonly AioEventLoop _home;
    private readonly Dictionary<IActorRef, Client> _clients = new();
    private long _nextLease;

    public RemoteQueueHost(AioQueue<T> queue, string name, AioEventLoop home)
    {
        _queue = queue;
        _name = name;
        _home = home;
    }

    private sealed class Client
    {
        public readonly Dictionary<long, CancellationTokenSource> Pending = new();
        public readonly LinkedList<(long Lease, T Item)> Leases = new();
    }

    /// <summary>A parked command finished (its continuation ran on the thread pool and told us).</summary>
    private sealed record Finished(IActorRef Client, long Id, Task Task, int Op);

    private const int PutOp = 0, GetOp = 1, JoinOp = 2;

    protected override void PreStart() => Context.Watch(_home.ActorRef);

    protected override void PostStop() => RemoteQueueRegistry.Get(Context.System).Unregister(_name, Self);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Put put: OnPut(put); break;
            case Get get: OnGet(get); break;
            case Done done: OnDone(done); break;
            case Return ret: OnReturn(ret); break;
            case Cancel cancel: OnCancel(cancel); break;
            case Join join: OnJoin(join); break;
            case Finished finished: OnFinished(finished); break;
            case Shutdown shutdown: _queue.Shutdown(shutdown.Immediate); break;
            case Connect connect:
                if (!_clients.ContainsKey(Sender)) { _clients[Sender] = new Client(); Context.Watch(Sender); }
                Sender.Tell(new Connected(_queue.MaxSize, typeof(T).FullName ?? typeof(T).Name, _queue.Count, _queue.UnfinishedTasks, _queue.IsShutDown));
                break;
            case Terminated t when t.ActorRef.Equals(_home.ActorRef):
                Context.Stop(Self);
                break;
            case Terminated t: ClientGone(t.ActorRef); break;
            default: Unhandled(message); break;
        }
    }

    private Client ClientOf(IActorRef sender)
    {
        if (_clients.TryGetValue(sender, out var client)) return client;
        // A command from a client we have not seen connect (it connected to an earlier incarnation): adopt it.
        client = new Client();
        _clients[sender] = client;
        Context.Watch(sender);
        return client;
    }

    private void OnPut(Put put)
    {
        var client = ClientOf(Sender);
        T item;
        try { item = RemoteQueueSerializer.DeserializeItem<T>(Context.System, put.SerializerId, put.Manifest, put.Bytes, _queue); }
        catch (Exception e) { Fail(Sender, put.Id, e); return; }
        if (_queue.TryPut(item)) { Sender.Tell(new Putted(put.Id, _queue.Count, _queue.UnfinishedTasks, _queue.IsShutDown)); return; }
        Park(client, put.Id, PutOp, static (q, item, token) => q.PutAsync(item, token), item);
    }

    private void OnGet(Get get)
    {
        var client = ClientOf(Sender);
        if (_queue.TryGet(out var item)) { Send(Sender, client, get.Id, item); return; }
        Park(client, get.Id, GetOp, static (q, _, token) => q.GetAsync(token).AsTask(), default!);
    }

    private void OnJoin(Join join) =>
        Park(ClientOf(Sender), join.Id, JoinOp, static (q, _, token) => q.JoinAsync(token), default!);

    private void Park(Client client, long id, int op, Func<AioQueue<T>, T, CancellationToken, Task> call, T item)
    {
        var cts = new CancellationTokenSource();
        Task task;
        try { task = call(_queue, item, cts.Token); }
        catch (Exception e) { task = Task.FromException(e); }
        var sender = Sender;
        if (task.IsCompleted) { Finish(client, sender, id, task, op); cts.Dispose(); return; }
        client.Pending[id] = cts;
        var self = Self;
        task.ContinueWith(t => self.Tell(new Finished(sender, id, t, op)), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void OnFinished(Finished f)
    {
        if (_clients.TryGetValue(f.Client, out var client) && client.Pending.Remove(f.Id, out var cts))
        {
            cts.Dispose();
            Finish(client, f.Client, f.Id, f.Task, f.Op);
            return;
        }
        // Cancelled or client gone: an item that was got anyway goes back (a put that went in stays: at-least-once).
        if (f.Op == GetOp && f.Task.IsCompletedSuccessfully) _queue.Requeue(((Task<T>)f.Task).Result);
    }

    private void Finish(Client client, IActorRef sender, long id, Task task, int op)
    {
        if (!task.IsCompletedSuccessfully)
        {
            var e = task.Exception?.InnerExceptions is [var single] ? single : task.Exception ?? (Exception)new OperationCanceledException();
            Fail(sender, id, e);
            return;
        }
        switch (op)
        {
            case PutOp: sender.Tell(new Putted(id, _queue.Count, _queue.UnfinishedTasks, _queue.IsShutDown)); break;
            case GetOp: Send(sender, client, id, ((Task<T>)task).Result); break;
            default: sender.Tell(new Joined(id, _queue.Count, _queue.UnfinishedTasks, _queue.IsShutDown)); break;
        }
    }

    private void Send(IActorRef sender, Client client, long id, T item)
    {
        (int SerializerId, string Manifest, byte[] Bytes) wire;
        try { wire = RemoteQueueSerializer.SerializeItem(Context.System, item, _queue); }
        catch (Exception e)
        {
            _queue.Requeue(item);
            Fail(sender, id, e);
            return;
        }
        long lease = ++_nextLease;
        client.Leases.AddLast((lease, item));
        sender.Tell(new Got(id, lease, wire.SerializerId, wire.Manifest, wire.Bytes, _queue.Count, _queue.UnfinishedTasks, _queue.IsShutDown));
    }

    private void Fail(IActorRef sender, long id, Exception e) =>
        sender.Tell(new Failed(id, KindOf(e), e.Message, _queue.Count, _queue.UnfinishedTasks, _queue.IsShutDown));

    private void OnCancel(Cancel cancel)
    {
        if (_clients.TryGetValue(Sender, out var client) && client.Pending.Remove(cancel.Id, out var cts))
        {
            // The waiter's continuation still reports in (OnFinished), which puts back an item that was got meanwhile.
            cts.Cancel();
            cts.Dispose();
        }
    }

    private static bool RemoveLease(Client client, long lease, out T item)
    {
        for (var node = client.Leases.First; node != null; node = node.Next)
        {
            if (node.Value.Lease != lease) continue;
            item = node.Value.Item;
            client.Leases.Remove(node);
            return true;
        }
        item = default!;
        return false;
    }

    private void OnDone(Done done)
    {
        if (!_clients.TryGetValue(Sender, out var client) || !RemoveLease(client, done.Lease, out _)) return;
        try { _queue.TaskDone(); }
        catch (InvalidOperationException) { /* more TaskDone than puts on the host side: the handle checked its own count */ }
    }

    private void OnReturn(Return ret)
    {
        if (_clients.TryGetValue(Sender, out var client) && RemoveLease(client, ret.Lease, out var item)) _queue.Requeue(item);
    }

    private void ClientGone(IActorRef gone)
    {
        if (!_clients.Remove(gone, out var client)) return;
        foreach (var cts in client.Pending.Values) { cts.Cancel(); cts.Dispose(); }
        client.Pending.Clear();
        // Newest first, each to the head: the oldest ends up first, in the original order.
        for (var node = client.Leases.Last; node != null; node = node.Previous) _queue.Requeue(node.Value.Item);
        client.Leases.Clear();
    }
}
