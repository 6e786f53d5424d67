using System.Net;
using System.Net.Sockets;
using Actors.Asyncio.Bench.Scenarios;

namespace Actors.Asyncio.Bench.Baselines;

/// <summary>A listener on 127.0.0.1 port 0 with one echo (or sink) loop per accepted connection; disposing it
/// stops accepting and waits for the connection loops.</summary>
internal sealed class SocketServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _cts = new();
    private readonly List<Task> _handlers = [];
    private readonly Task _acceptLoop;
    private readonly bool _sink;

    private SocketServer(bool sink)
    {
        _sink = sink;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    public static SocketServer Start(bool sink) => new(sink);

    private async Task AcceptLoop()
    {
        while (!_cts.IsCancellationRequested)
        {
            Socket s;
            try { s = await _listener.AcceptAsync(_cts.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { return; }
            catch (ObjectDisposedException) { return; }
            s.NoDelay = true;
            lock (_handlers) _handlers.Add(Task.Run(() => _sink ? Sink(s) : Echo(s)));
        }
    }

    private async Task Echo(Socket s)
    {
        using (s)
        {
            var buffer = new byte[65536];
            try
            {
                int n;
                while ((n = await s.ReceiveAsync(buffer, SocketFlags.None, _cts.Token)) > 0)
                    await SocketEcho.SendAll(s, buffer.AsMemory(0, n));
            }
            catch (OperationCanceledException) { }
            catch (SocketException) { }
        }
    }

    private async Task Sink(Socket s)
    {
        using (s)
        {
            var buffer = new byte[65536];
            long total = 0;
            try
            {
                int n;
                while ((n = await s.ReceiveAsync(buffer, SocketFlags.None, _cts.Token)) > 0) total += n;
                await SocketEcho.SendAll(s, TcpEcho.CountReply(total));
                s.Shutdown(SocketShutdown.Both);
            }
            catch (OperationCanceledException) { }
            catch (SocketException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cts.Cancel();
        _listener.Dispose();
        await _acceptLoop;
        Task[] handlers;
        lock (_handlers) handlers = [.. _handlers];
        await Task.WhenAll(handlers).WaitAsync(TimeSpan.FromSeconds(10));
        _cts.Dispose();
    }
}
