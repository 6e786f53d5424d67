using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.IO;

namespace Actors.Asyncio.Internal;

/// <summary>A server's own listening socket (<c>actors.asyncio.streams.tcp.accepted-connections-on-loop</c>): every
/// accepted socket gets Akka.IO's own connection actor (<c>TcpIncomingConnection</c>, the actor Akka.IO's listener
/// would make) on the server loop's dispatcher instead of the thread pool.</summary>
/// <remarks>
/// <para>Why: Akka.IO's listener creates each connection actor on the default dispatcher, so every <c>Received</c>
/// crosses from the thread pool to the loop thread and every <c>Write</c> crosses back: two thread hand-offs per
/// request/response, each a kernel wake-up. With the connection actor on the loop's thread, the socket completion is
/// the only hand-off left and the socket calls run on the loop thread, as under asyncio's selector loop.</para>
/// <para>Accepting stays on the thread pool (one hand-off per connection, not per message). Closing the listener
/// closes the listening socket at once, so a client connecting after <see cref="AioServer.Close"/> is refused, as
/// with asyncio; Akka.IO's listener instead has to stay bound while its connections live.</para>
/// </remarks>
internal sealed class LoopTcpListener
{
    private readonly AioEventLoop _loop;
    private readonly Socket _socket;
    private readonly IActorRef _handler;
    private readonly TcpSettings _settings;
    private readonly IActorRef _connections;
    private volatile bool _stopped;

    private LoopTcpListener(AioEventLoop loop, Socket socket, IActorRef handler, TcpSettings settings)
    {
        _loop = loop;
        _socket = socket;
        _handler = handler;
        _settings = settings;
        _connections = LoopTcpConnections.For(loop);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>The bound address, with the port the OS chose for port 0.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds and listens on the loop thread (a busy or bad address throws its <see cref="SocketException"/>
    /// here), then accepts on the thread pool until <see cref="Stop"/>. Each connection's actor tells
    /// <paramref name="handler"/> <c>Connected</c>, as after Akka.IO's listener.</summary>
    public static LoopTcpListener Start(AioEventLoop loop, IPEndPoint endpoint, int backlog, IActorRef handler, TcpSettings settings)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var listener = new LoopTcpListener(loop, socket, handler, settings);
        loop.Closing += listener.Stop;
        _ = Task.Run(listener.AcceptLoop);
        return listener;
    }

    /// <summary>Stops accepting and closes the listening socket (idempotent); accepted connections are not affected.
    /// Loop thread.</summary>
    public void Stop()
    {
        if (_stopped) return;
        _stopped = true;
        _loop.Closing -= Stop;
        _socket.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stopped)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) when (_stopped) { return; }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                continue;   // the client gave up before it was accepted
            }
            catch (SocketException e)
            {
                // Out of file descriptors or buffers: asyncio logs it and stops accepting for a second
                // (base_events' accept_retry_delay), so one exhausted resource does not spin the accept loop.
                _loop.PostThreadsafe(new ReadyItem(StateActionWork.Instance, s_report, (_loop, e, this)));
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                continue;
            }
            if (_stopped)
            {
                accepted.Dispose();
                return;
            }
            _connections.Tell(new LoopTcpConnections.Adopt(accepted, _handler, _settings));
        }
    }

    private static readonly Action<object?> s_report = static state =>
    {
        var (loop, e, listener) = ((AioEventLoop, SocketException, LoopTcpListener))state!;
        loop.ReportException($"Cannot accept on {listener.LocalEndPoint} ({e.SocketErrorCode}); accepting again in 1 second", e, listener);
    };

    public override string ToString() => $"<TcpListener {LocalEndPoint} [{(_stopped ? "closed" : "listening")}]>";
}
