using System.Net;
using System.Net.Sockets;
using Actors.Asyncio.Internal;
using Akka.IO;

namespace Actors.Asyncio;

// asyncio.open_connection / asyncio.start_server over Akka.IO TCP.
public static partial class Aio
{
    /// <summary>asyncio.open_connection(host, port, limit=): connects over TCP (Akka.IO) and returns the connection's
    /// reader and writer. Every address <paramref name="host"/> resolves to is tried in turn.</summary>
    /// <param name="host">An IP address or a host name.</param>
    /// <param name="port">The TCP port.</param>
    /// <param name="limit">The reader's limit (default <c>actors.asyncio.streams.limit</c>, 64 KiB).</param>
    /// <exception cref="SocketException">Nothing listens there (<c>SocketErrorCode == ConnectionRefused</c>), the host
    /// name does not resolve (<c>HostNotFound</c>), or another socket error.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> or <paramref name="limit"/> is out of range.</exception>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    /// <remarks>Cancelling the awaiting task abandons the connect; a connection that completes anyway is closed.</remarks>
    public static async Task<(AioStreamReader Reader, AioStreamWriter Writer)> OpenConnection(string host, int port, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        if (port is < 0 or > 65535) throw Errors.BadPort(port, nameof(port));
        var loop = AioEventLoop.RunningOrThrow(nameof(OpenConnection));
        var settings = StreamSettings.For(loop);
        int readerLimit = limit ?? settings.Limit;
        if (readerLimit <= 0) throw Errors.StreamLimitNotPositive(readerLimit, nameof(limit));

        var addresses = await ResolveAsync(host);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var endpoint = new IPEndPoint(address, port);
            try
            {
                var conn = await ConnectOne(loop, endpoint);
                conn.CreateStreams(readerLimit, settings, null);
                return (conn.Reader, conn.Writer);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                last = e;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound, $"Cannot connect to {host}:{port}: the name resolved to no address.");
    }

    /// <summary>asyncio.start_server(client_connected_cb, host, port, limit=, backlog=): listens on
    /// <paramref name="host"/>:<paramref name="port"/> (Akka.IO TCP) and returns the server, already serving. Each
    /// connection runs <paramref name="handler"/>(reader, writer) as its own task on this loop.</summary>
    /// <param name="handler">The coroutine run per connection; if it throws, the loop's exception handler gets it and
    /// that connection (only) is closed.</param>
    /// <param name="host">An IP address or host name (every address it resolves to is listened on); null listens on
    /// every IPv4 interface.</param>
    /// <param name="port">The port; 0 picks a free one (read it from <see cref="AioServer.Endpoints"/>).</param>
    /// <param name="limit">The readers' limit (default <c>actors.asyncio.streams.limit</c>, 64 KiB).</param>
    /// <param name="backlog">The listen backlog (asyncio's default 100).</param>
    /// <exception cref="SocketException">The address is in use or cannot be listened on, or the host does not resolve.</exception>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static async Task<AioServer> StartServer(Func<AioStreamReader, AioStreamWriter, Task> handler, string? host, int port,
        int? limit = null, int backlog = 100)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (port is < 0 or > 65535) throw Errors.BadPort(port, nameof(port));
        if (backlog < 0) throw new ArgumentOutOfRangeException(nameof(backlog), backlog, "The backlog must be 0 or more (asyncio's default is 100).");
        var loop = AioEventLoop.RunningOrThrow(nameof(StartServer));
        var settings = StreamSettings.For(loop);
        int readerLimit = limit ?? settings.Limit;
        if (readerLimit <= 0) throw Errors.StreamLimitNotPositive(readerLimit, nameof(limit));

        var addresses = string.IsNullOrEmpty(host) ? [IPAddress.Any] : await ResolveAsync(host);
        var server = new AioServer(loop, handler, readerLimit, settings);
        await server.BindAsync(addresses.Distinct().Select(a => new IPEndPoint(a, port)).ToArray(), backlog);
        return server;
    }

    private static async Task<IPAddress[]> ResolveAsync(string host)
    {
        if (IPAddress.TryParse(host, out var ip)) return [ip];
        // A plain .NET await inside the task: it resumes on the loop, and the virtual clock waits for it.
        var all = await System.Net.Dns.GetHostAddressesAsync(host);
        // IPv4 first, as most servers listen there (asyncio keeps getaddrinfo's order and tries them all too).
        return all.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).ToArray();
    }

    private static async Task<TcpStreamConnection> ConnectOne(AioEventLoop loop, IPEndPoint endpoint)
    {
        TcpStreamConnection? result = null;
        var waiter = new StreamWaiter(loop, null, onRefused: _ => result?.Abort());
        waiter.Start(default);
        TcpStreamConnection.Connect(loop, loop.System.Tcp(), endpoint, TcpStreamSettings.For(loop.System), (conn, error) =>
        {
            if (error != null) { waiter.Fail(error); return; }
            result = conn;
            // The awaiting task gave up meanwhile: nobody will ever close this connection, so do it now.
            if (!waiter.Wake(true)) conn.Abort();
        });
        try
        {
            await waiter.Task;
        }
        catch (ConnectException e)
        {
            // Akka.IO 1.5 reports a failed connect without its socket error; ask the OS what it was, so a refused
            // connection surfaces as asyncio's ConnectionRefusedError does: SocketException(ConnectionRefused).
            throw await ConnectDiagnosis.DiagnoseAsync(endpoint, e);
        }
        finally
        {
            waiter.Unregister();
        }
        return result!;
    }
}
