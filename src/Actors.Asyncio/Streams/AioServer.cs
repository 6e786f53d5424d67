using System.Net;
using Actors.Asyncio.Internal;
using Akka.Actor;
using Akka.IO;

namespace Actors.Asyncio;

/// <summary>asyncio.Server: a TCP server whose connections are Akka.IO connection actors, made by
/// <see cref="Aio.StartServer"/>.</summary>
/// <remarks>
/// Each accepted connection gets an <see cref="AioStreamReader"/>/<see cref="AioStreamWriter"/> pair and its handler
/// runs as a task of its own on the server's loop. A handler that throws is reported to the loop's exception handler
/// ("Unhandled exception in client_connected_cb") and only its connection is closed. <see cref="Close"/> stops
/// accepting and leaves live connections open; <see cref="WaitClosedAsync"/> (and <c>await using</c>) waits until
/// they have all ended, as in Python 3.12+. Use it from tasks of its loop.
/// </remarks>
public sealed class AioServer : IAsyncDisposable
{
    private static long s_ids;

    private readonly long _id = Interlocked.Increment(ref s_ids);
    private readonly Func<AioStreamReader, AioStreamWriter, Task> _handler;
    private readonly int _limit;
    private readonly StreamSettings _settings;
    private readonly TcpServerRef _ref;
    private readonly List<IActorRef> _listeners = new();
    private readonly List<LoopTcpListener> _ownListeners = new();
    private readonly List<IPEndPoint> _endpoints = new();
    private readonly HashSet<TcpStreamConnection> _live = new();
    private readonly Action<TcpStreamConnection> _onConnectionLost;
    private List<StreamWaiter>? _closedWaiters;
    private StreamWaiter? _serveForever;
    private StreamWaiter? _binding;
    private int _bindsPending;
    private Exception? _bindError;
    private bool _closed;
    private int _unbindsPending;

    internal AioServer(AioEventLoop loop, Func<AioStreamReader, AioStreamWriter, Task> handler, int limit, StreamSettings settings)
    {
        Loop = loop;
        _handler = handler;
        _limit = limit;
        _settings = settings;
        _ref = new TcpServerRef(loop, this);
        _onConnectionLost = OnConnectionLost;
    }

    /// <summary>The loop the server and its connection handlers run on.</summary>
    public AioEventLoop Loop { get; }

    /// <summary>asyncio's <c>[s.getsockname() for s in server.sockets]</c>: the addresses listened on (with the port
    /// chosen when 0 was asked); empty once closed.</summary>
    public IReadOnlyList<IPEndPoint> Endpoints => _closed ? [] : _endpoints.ToArray();

    /// <summary>asyncio's is_serving(): true until <see cref="Close"/>.</summary>
    public bool IsServing => !_closed;

    /// <summary>Connections accepted and not yet closed.</summary>
    public int ActiveConnections => _live.Count;

    /// <summary>asyncio's close(): stops listening (idempotent). Connections already accepted stay open; use
    /// <see cref="WaitClosedAsync"/> to wait for them. A pending <see cref="ServeForeverAsync"/> ends with
    /// <see cref="CancelledException"/>, as in asyncio.</summary>
    /// <remarks>With <c>actors.asyncio.streams.tcp.accepted-connections-on-loop</c> (the default) the listening socket
    /// closes at once, so a client connecting afterwards is refused, as with asyncio. With it off, Akka.IO's listener
    /// serves the connections and stops them when it unbinds, so while connections are live the listening socket stays
    /// open and a client connecting meanwhile is reset at once; the port is released when the last live connection
    /// ends (before <see cref="WaitClosedAsync"/> returns).</remarks>
    public void Close()
    {
        if (_closed) return;
        _closed = true;
        foreach (var l in _ownListeners) l.Stop();
        _ownListeners.Clear();
        if (_live.Count == 0) Unbind();
        _serveForever?.CancelWait($"{this} was closed");
        MaybeWakeClosed();
    }

    private void Unbind()
    {
        foreach (var listener in _listeners)
        {
            _unbindsPending++;
            listener.Tell(Tcp.Unbind.Instance, _ref);
        }
        _listeners.Clear();
    }

    /// <summary>asyncio's wait_closed(): waits until the server is closed and every connection it accepted has ended
    /// (Python 3.12+); returns at once when that is already so.</summary>
    /// <param name="cancellationToken">Cancels the wait (not the server).</param>
    public Task WaitClosedAsync(CancellationToken cancellationToken = default)
    {
        if (IsFullyClosed) return Task.CompletedTask;
        cancellationToken.ThrowIfCancellationRequested();
        var w = new StreamWaiter(Loop, x => _closedWaiters?.Remove(x));
        (_closedWaiters ??= new List<StreamWaiter>(1)).Add(w);
        w.Start(cancellationToken);
        return AwaitAndUnregister(w);
    }

    /// <summary>asyncio's serve_forever(): waits until the server is closed. <see cref="Close"/> from elsewhere makes it
    /// throw <see cref="CancelledException"/>; cancelling the awaiting task closes the server and waits for
    /// <see cref="WaitClosedAsync"/> before the cancellation propagates.</summary>
    /// <param name="cancellationToken">Cancels (and so closes) like cancelling the task.</param>
    /// <exception cref="InvalidOperationException">The server is closed, or another ServeForeverAsync is running.</exception>
    public async Task ServeForeverAsync(CancellationToken cancellationToken = default)
    {
        if (_serveForever != null) throw Errors.ServeForeverTwice(this);
        if (_closed) throw Errors.ServerClosed(this);
        var w = new StreamWaiter(Loop, null);
        _serveForever = w;
        w.Start(cancellationToken);
        try
        {
            await w.Task;
        }
        finally
        {
            w.Unregister();
            _serveForever = null;
            Close();
            await WaitClosedAsync();
        }
    }

    /// <summary><c>async with server</c>: <see cref="Close"/>, then <see cref="WaitClosedAsync"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Close();
        await WaitClosedAsync();
    }

    /// <summary>asyncio's repr: id, state, addresses and live connections.</summary>
    public override string ToString() =>
        $"<AioServer #{_id} [{(_closed ? "closed" : "serving")}] {string.Join(", ", _endpoints)} connections={_live.Count}>";

    // ---- startup ----

    internal Task BindAsync(IReadOnlyList<IPEndPoint> endpoints, int backlog)
    {
        var settings = TcpStreamSettings.For(Loop.System);
        if (TcpStreamSettings.AcceptedOnLoop(Loop.System))
        {
            try
            {
                foreach (var ep in endpoints)
                {
                    var l = LoopTcpListener.Start(Loop, ep, backlog, _ref, settings);
                    _ownListeners.Add(l);
                    _endpoints.Add(l.LocalEndPoint);
                }
                return Task.CompletedTask;
            }
            catch (Exception e)
            {
                Close();
                return Task.FromException(e);
            }
        }
        var tcp = Loop.System.Tcp();
        var w = new StreamWaiter(Loop, null, null);
        _binding = w;
        _bindsPending = endpoints.Count;
        // Binding is real I/O the loop waits for: the virtual clock must not jump past it.
        Loop.BeginExternalWork();
        w.HoldsExternalWork = true;
        w.Start(default);
        foreach (var ep in endpoints)
            tcp.Tell(new Tcp.Bind(_ref, ep, backlog, null, pullMode: true) { TcpSettings = settings }, _ref);
        return AwaitBind(w);
    }

    private async Task AwaitBind(StreamWaiter w)
    {
        try { await w.Task; }
        catch
        {
            Close();
            throw;
        }
    }

    // ---- messages from Akka.IO (loop thread) ----

    internal void OnMessage(object message, IActorRef sender)
    {
        switch (message)
        {
            case Tcp.Connected connected:
                OnConnected(sender, connected);
                break;
            case Tcp.Unbound:
                _unbindsPending--;
                MaybeWakeClosed();
                break;
            case Tcp.Bound bound:
                if (_closed) { _unbindsPending++; sender.Tell(Tcp.Unbind.Instance, _ref); BindDone(); break; }
                _listeners.Add(sender);
                if (bound.LocalAddress is IPEndPoint ep) _endpoints.Add(ep);
                BindDone();
                break;
            case Tcp.CommandFailed { Cmd: Tcp.Bind bind } failed:
                _bindError ??= failed.Cause.HasValue
                    ? failed.Cause.Value
                    : new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AddressAlreadyInUse, $"Cannot listen on {bind.LocalAddress}: {failed.CauseString}");
                BindDone();
                break;
        }
    }

    private void BindDone()
    {
        if (--_bindsPending > 0 || _binding is not { } w) return;
        _binding = null;
        w.EndExternalWork();
        if (_bindError != null) w.Fail(_bindError);
        else w.Wake(true);
    }

    private void OnConnected(IActorRef connectionActor, Tcp.Connected connected)
    {
        if (_closed)
        {
            // Accepted after Close (the listener stays bound while live connections remain, see Close): asyncio
            // would have refused it, so reset it at once.
            connectionActor.Tell(Tcp.Abort.Instance, _ref);
            return;
        }
        var conn = TcpStreamConnection.Accepted(Loop, connectionActor, connected);
        conn.CreateStreams(_limit, _settings, _onConnectionLost);
        _live.Add(conn);
        var reader = conn.Reader;
        var writer = conn.Writer;
        AioTask task;
        try
        {
            task = Loop.CreateTask(() => _handler(reader, writer));
        }
        catch (Exception e)
        {
            Loop.ReportException("Unhandled exception in client_connected_cb", e, this);
            writer.Close();
            return;
        }
        task.AddCallback(new ReadyItem(StateActionWork.Instance, s_onHandlerDone, (task, writer)));
    }

    private static readonly Action<object?> s_onHandlerDone = static state =>
    {
        var (task, writer) = ((AioTask, AioStreamWriter))state!;
        if (task.IsCancelled) { writer.Close(); return; }   // Python 3.13: a cancelled handler closes its connection
        if (task.ExceptionNoMark is not { } e) return;
        task.MarkRetrieved();
        task.Loop.ReportException("Unhandled exception in client_connected_cb", e, task);
        writer.Close();
    };

    private void OnConnectionLost(TcpStreamConnection conn)
    {
        _live.Remove(conn);
        if (_closed && _live.Count == 0) Unbind();
        MaybeWakeClosed();
    }

    private bool IsFullyClosed => _closed && _live.Count == 0 && _listeners.Count == 0 && _unbindsPending <= 0;

    private void MaybeWakeClosed()
    {
        if (!IsFullyClosed || _closedWaiters is not { } waiters) return;
        _closedWaiters = null;
        foreach (var w in waiters) w.Wake(true);
    }

    private static async Task AwaitAndUnregister(StreamWaiter w)
    {
        try { await w.Task; }
        finally { w.Unregister(); }
    }
}
