using Actors.Asyncio.Internal;
using Akka.Actor;

namespace Actors.Asyncio;

// Queues across nodes: Publish serves a queue to other actor systems (Akka.Remote / Akka.Cluster); OpenAsync returns a
// remote handle, an AioQueue<T> whose members are round trips to the host actor. See docs/distributed-queues.md.
public partial class AioQueue<T>
{
    /// <summary>Set on a remote handle (OpenAsync): every public member branches to it.</summary>
    private readonly RemoteQueueHandle<T>? _remote;
    private string? _publishedName;
    private IActorRef? _host;

    /// <summary>A remote handle: no buffer of its own, the capacity learned in the handshake.</summary>
    private AioQueue(RemoteQueueHandle<T> remote, int maxSize) : this(new FifoBuffer<T>(1), maxSize, null) => _remote = remote;

    /// <summary>True for a handle returned by <see cref="OpenAsync(ActorSystem, string, Address?, CancellationToken)"/> (the items live in another actor system).</summary>
    public bool IsRemote => _remote != null;

    /// <summary>Serves this queue to other actor systems under <paramref name="name"/> (no asyncio equivalent: asyncio
    /// stops at one process). Starts the queue's host actor at <c>/user/aio-queue-&lt;name&gt;</c> on the queue's home
    /// loop dispatcher; tasks on other systems open it with <see cref="OpenAsync(ActorSystem, string, Address?, CancellationToken)"/> and get the same API and semantics:
    /// backpressured puts, FIFO getters, <see cref="JoinAsync"/>/<see cref="TaskDone"/>, <see cref="Shutdown"/>. Items
    /// cross the wire with Akka's serialization (HOCON <c>akka.actor.serialization-bindings</c>); the system needs
    /// <c>akka.actor.provider = remote</c> or <c>cluster</c> to be reachable from other processes. An item handed to a
    /// remote getter and not marked done when its node dies goes back to the head of the queue (at-least-once across
    /// nodes). The host stops on <see cref="Unpublish"/>, when the home loop closes, or with the system.</summary>
    /// <param name="name">The queue's name: a non-empty actor path element (letters, digits, <c>-_.</c> …).</param>
    /// <returns>The host actor.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid name.</exception>
    /// <exception cref="InvalidOperationException">Another queue is published under that name in this system, this
    /// queue is already published, this is a remote handle, or no loop owns the queue yet.</exception>
    public IActorRef Publish(string name)
    {
        RemoteQueueRegistry.CheckName(name, nameof(name));
        if (_remote != null) throw Errors.RemoteQueueHandleOp(this, nameof(Publish));
        var home = Home(nameof(Publish));
        var registry = RemoteQueueRegistry.Get(home.System);
        lock (registry)
        {
            if (_publishedName != null) throw Errors.RemoteQueueAlreadyPublished(this, _publishedName);
            if (registry.Lookup(name) != null) throw Errors.RemoteQueueDuplicateName(name, home.System);
            IActorRef host;
            try
            {
                host = home.System.ActorOf(Props.Create(typeof(RemoteQueueHost<T>), this, name, home).WithDispatcher(home.DispatcherId),
                    RemoteQueueRegistry.HostPrefix + name);
            }
            catch (InvalidActorNameException) { throw Errors.RemoteQueueDuplicateName(name, home.System); }
            registry.TryRegister(name, host);
            registry.Directory?.Register(home.System, name, host);
            _publishedName = name;
            _host = host;
            return host;
        }
    }

    /// <summary>Stops serving this queue to other systems (the reverse of <see cref="Publish"/>): its host actor stops,
    /// so the pending commands of remote handles fail with <see cref="QueueShutDownException"/>; items leased to them
    /// and not marked done stay counted as unfinished. The queue itself is unaffected. Does nothing if not published.</summary>
    public void Unpublish()
    {
        var home = Volatile.Read(ref _home);
        if (home == null) return;
        var registry = RemoteQueueRegistry.Get(home.System);
        lock (registry)
        {
            if (_publishedName == null || _host == null) return;
            registry.Unregister(_publishedName, _host);
            registry.Directory?.Unregister(home.System, _publishedName, _host);
            home.System.Stop(_host);
            _publishedName = null;
            _host = null;
        }
    }

    /// <summary>Opens a queue published with <see cref="Publish"/> on this or another actor system and returns a remote
    /// handle: an <see cref="AioQueue{T}"/> with the same API whose awaitable members are round trips to the host
    /// (see docs/asyncio-mapping.md for what differs). With <paramref name="node"/>, the host is found by
    /// <c>ActorSelection</c> of <c>&lt;node&gt;/user/aio-queue-&lt;name&gt;</c> (retried with backoff until it answers);
    /// without it, among the queues published in <paramref name="system"/>, then through the configured directory
    /// (<c>actors.asyncio.remote-queue.directory</c>, e.g. the cluster's with Actors.Asyncio.Cluster).
    /// Cancelling stops the search.</summary>
    /// <param name="system">The local actor system (provider <c>remote</c> or <c>cluster</c> to reach other nodes).</param>
    /// <param name="name">The name the queue was published under.</param>
    /// <param name="node">The address of the host's actor system, e.g. <c>Address.Parse("akka.tcp://jobs@10.0.0.5:4053")</c>.</param>
    /// <param name="cancellationToken">Cancels the search and handshake.</param>
    /// <returns>The remote handle.</returns>
    /// <exception cref="TimeoutException">Nothing answered within <c>actors.asyncio.remote-queue.open-timeout</c>.</exception>
    /// <exception cref="InvalidOperationException">No node was given, the queue is not published in this system and no
    /// directory is configured; or the queue's item type is not <typeparamref name="T"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid name.</exception>
    public static async Task<AioQueue<T>> OpenAsync(ActorSystem system, string name, Address? node = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        RemoteQueueRegistry.CheckName(name, nameof(name));
        var registry = RemoteQueueRegistry.Get(system);
        var timeout = registry.OpenTimeout;
        IActorRef host;
        if (node != null)
            host = await RemoteQueueOpen.IdentifyAsync(system, new RootActorPath(node) / "user" / (RemoteQueueRegistry.HostPrefix + name),
                name, timeout, cancellationToken).ConfigureAwait(false);
        else if (registry.Lookup(name) is { } local) host = local;
        else if (registry.Directory is { } directory)
            host = await directory.LookupAsync(system, name, timeout, cancellationToken).ConfigureAwait(false)
                ?? throw Errors.RemoteQueueNotFound(name, "the directory " + directory.GetType().Name, timeout);
        else throw Errors.RemoteQueueNotPublishedLocally(name, system);
        return await OpenAsync(system, host, name, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens the queue served by <paramref name="host"/> (the actor <see cref="Publish"/> returned, found by any
    /// means: a message, the cluster receptionist, an <c>Identify</c>). See <see cref="OpenAsync(ActorSystem, string, Address?, CancellationToken)"/>.</summary>
    /// <param name="system">The local actor system.</param>
    /// <param name="host">The host actor of a published queue.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>The remote handle.</returns>
    /// <exception cref="TimeoutException">The host did not answer within <c>actors.asyncio.remote-queue.open-timeout</c>.</exception>
    /// <exception cref="InvalidOperationException">The queue's item type is not <typeparamref name="T"/>.</exception>
    public static Task<AioQueue<T>> OpenAsync(ActorSystem system, IActorRef host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(host);
        var name = host.Path.Name.StartsWith(RemoteQueueRegistry.HostPrefix, StringComparison.Ordinal)
            ? host.Path.Name[RemoteQueueRegistry.HostPrefix.Length..] : host.Path.Name;
        return OpenAsync(system, host, name, RemoteQueueRegistry.Get(system).OpenTimeout, cancellationToken);
    }

    private static async Task<AioQueue<T>> OpenAsync(ActorSystem system, IActorRef host, string name, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var handle = new RemoteQueueHandle<T>(system, name, host);
        var connected = new TaskCompletionSource<RemoteQueueProtocol.Connected>(TaskCreationOptions.RunContinuationsAsynchronously);
        handle.Client = system.ActorOf(Props.Create(typeof(RemoteQueueClient<T>), handle, connected), RemoteQueueRegistry.NextClientName(name));
        RemoteQueueProtocol.Connected reply;
        try { reply = await connected.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false); }
        catch (TimeoutException)
        {
            system.Stop(handle.Client);
            throw Errors.RemoteQueueNotFound(name, host.Path.ToString(), timeout);
        }
        catch
        {
            system.Stop(handle.Client);
            throw;
        }
        if (reply.ItemType != (typeof(T).FullName ?? typeof(T).Name))
        {
            system.Stop(handle.Client);
            throw Errors.RemoteQueueTypeMismatch(name, reply.ItemType, typeof(T));
        }
        var queue = new AioQueue<T>(handle, reply.MaxSize);
        handle.Queue = queue;
        return queue;
    }

    /// <summary>Puts an item a remote getter held back at the head of the queue (its node died, its getter was
    /// cancelled): it was never done, so the unfinished count is unchanged. Home loop thread only.</summary>
    internal void Requeue(T item) => ReturnItem(item);

    // ---------------------------------------------------------------- the members of a remote handle

    private AioEventLoop RemoteCaller(string member) => AioEventLoop.Current ?? throw Errors.RemoteQueueNeedsLoop(this, member);

    private Task RemotePut(T item, CancellationToken cancellationToken)
    {
        var remote = _remote!;
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        if (remote.HostGone) return Task.FromException(Errors.RemoteQueueHostGone(this, "put into"));
        if (remote.ShutDown) return Task.FromException(Errors.QueueShutDown(this, "put into"));
        var loop = RemoteCaller(nameof(PutAsync));
        // Serialized here, before anything is sent: an item Akka cannot serialize fails the put and leaves the queue as it was.
        (int, string, byte[]) wire;
        try { wire = RemoteQueueSerializer.SerializeItem(remote.System, item, this); }
        catch (Exception e) { return Task.FromException(e); }
        return SendRemote(loop, new RemotePutWaiter<T>(loop, remote, wire), cancellationToken).Task;
    }

    private ValueTask<T> RemoteGet(CancellationToken cancellationToken)
    {
        var remote = _remote!;
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<T>(cancellationToken);
        if (remote.HostGone) return ValueTask.FromException<T>(Errors.RemoteQueueHostGone(this, "get from"));
        var loop = RemoteCaller(nameof(GetAsync));
        return new ValueTask<T>(SendRemote(loop, new RemoteGetWaiter<T>(loop, remote), cancellationToken).Task);
    }

    private Task RemoteJoin(CancellationToken cancellationToken)
    {
        var remote = _remote!;
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        if (remote.HostGone) return Task.FromException(Errors.RemoteQueueHostGone(this, "join"));
        var loop = RemoteCaller(nameof(JoinAsync));
        return SendRemote(loop, new RemoteJoinWaiter<T>(loop, remote), cancellationToken).Task;
    }

    private LoopWaiter<TValue> SendRemote<TValue>(AioEventLoop loop, LoopWaiter<TValue> waiter, CancellationToken cancellationToken)
    {
        waiter.Attach();
        if (!waiter.IsPending) return waiter;
        // The reply is real network work: the loop's virtual clock must not jump past it.
        loop.BeginExternalWork();
        _remote!.Send((IRemoteQueueOp)waiter);
        Register(waiter, cancellationToken);
        return waiter;
    }

    private void RemoteTaskDone()
    {
        var remote = _remote!;
        if (!remote.Delivered.TryDequeue(out var lease)) throw Errors.RemoteQueueTaskDoneNothingHeld(this);
        remote.Tell(new RemoteQueueProtocol.Done(lease));
    }

    private void RemoteShutdown(bool immediate)
    {
        var remote = _remote!;
        remote.ShutDown = true;
        remote.Tell(new RemoteQueueProtocol.Shutdown(immediate));
    }

    private string RemoteToString()
    {
        var remote = _remote!;
        var s = $"<AioQueue \"{remote.Name}\" at {remote.Host.Path} maxsize={MaxSize} qsize={remote.Count}";
        if (remote.Unfinished > 0) s += $" tasks={remote.Unfinished}";
        if (remote.HostGone) s += " host-gone";
        else if (remote.ShutDown) s += " shutdown";
        return s + ">";
    }
}
