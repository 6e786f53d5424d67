using System.Buffers.Binary;
using System.Net;
using Actors.Asyncio.Bench.Harness;
using Actors.Asyncio.Bench.Scenarios;
using Akka.Actor;
using Akka.IO;

namespace Actors.Asyncio.Bench.Baselines;

/// <summary>The raw Akka side of <see cref="TcpEcho"/>: Akka.IO Tcp on both ends, plain actors on the default
/// dispatcher, no Actors.Asyncio involved (what issue 6 compares against).</summary>
internal static class AkkaIoEcho
{
    private static readonly ByteString Request = ByteString.FromBytes(TcpEcho.Request);

    public static async Task<Sample> RunAsync(BenchContext ctx)
    {
        var (conns, perConn, one, streamBytes) = TcpEcho.Size(ctx);
        var system = ctx.System;
        double many, single, mbps;

        var (echo, echoPort, echoUnbound) = await StartServer(system, sink: false);
        try
        {
            many = await ReqRate(system, echoPort, conns, perConn);
            single = await ReqRate(system, echoPort, 1, one);
        }
        finally { await StopServer(echo, echoUnbound); }

        var (sink, sinkPort, sinkUnbound) = await StartServer(system, sink: true);
        try
        {
            var result = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var sw = Measure.Start();
            system.ActorOf(Props.Create(() => new Streamer(new IPEndPoint(IPAddress.Loopback, sinkPort), streamBytes, result)));
            long got = await result.Task.WaitAsync(TimeSpan.FromMinutes(1));
            var elapsed = sw.Elapsed;
            if (got != streamBytes) throw new InvalidOperationException($"sink counted {got} bytes, expected {streamBytes}");
            mbps = Measure.MBps(streamBytes, elapsed);
        }
        finally { await StopServer(sink, sinkUnbound); }
        return new Sample { ["req_per_s_50c"] = many, ["req_per_s_1c"] = single, ["stream_mb_per_s"] = mbps };
    }

    private static async Task<double> ReqRate(ActorSystem system, int port, int conns, int per)
    {
        var ep = new IPEndPoint(IPAddress.Loopback, port);
        var done = new Task[conns];
        var sw = Measure.Start();
        for (int c = 0; c < conns; c++)
        {
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done[c] = tcs.Task;
            system.ActorOf(Props.Create(() => new Client(ep, per, tcs)));
        }
        await Task.WhenAll(done).WaitAsync(TimeSpan.FromMinutes(1));
        return Measure.Rate((long)conns * per, sw.Elapsed);
    }

    /// <summary>Binds an echo (or sink) server on 127.0.0.1 port 0; <paramref name="maxFrameSize"/> overrides
    /// <c>akka.io.tcp.maximum-frame-size</c> for its connections (null keeps the system's).</summary>
    internal static async Task<(IActorRef Server, int Port, Task Unbound)> StartServer(ActorSystem system, bool sink, int? maxFrameSize = null)
    {
        var bound = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var unbound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = maxFrameSize is { } f ? TcpSettings.Create(system) with { MaxFrameSizeBytes = f } : null;
        var server = system.ActorOf(Props.Create(() => new Server(sink, bound, unbound, settings)));
        int port = await bound.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return (server, port, unbound.Task);
    }

    internal static async Task StopServer(IActorRef server, Task unbound)
    {
        server.Tell(Tcp.Unbind.Instance);
        await unbound.WaitAsync(TimeSpan.FromSeconds(10));
        await server.GracefulStop(TimeSpan.FromSeconds(10));
    }

    /// <summary>Binds 127.0.0.1:0; each accepted connection gets its own echo (or sink) handler child.</summary>
    private sealed class Server : ReceiveActor
    {
        private IActorRef? _listener;
        private readonly TcpSettings? _settings;

        public Server(bool sink, TaskCompletionSource<int> bound, TaskCompletionSource unbound, TcpSettings? settings)
        {
            _settings = settings;
            Receive<Tcp.Bound>(b =>
            {
                _listener = Sender;
                bound.TrySetResult(((IPEndPoint)b.LocalAddress).Port);
            });
            Receive<Tcp.CommandFailed>(f => bound.TrySetException(new InvalidOperationException($"Akka.IO bind failed: {f.Cmd}")));
            Receive<Tcp.Connected>(_ =>
            {
                var connection = Sender;
                var handler = Context.ActorOf(Props.Create(() => new Handler(connection, sink)));
                connection.Tell(new Tcp.Register(handler, keepOpenOnPeerClosed: sink));
            });
            Receive<Tcp.Unbind>(_ =>
            {
                if (_listener != null) _listener.Tell(Tcp.Unbind.Instance);
                else unbound.TrySetResult();
            });
            Receive<Tcp.Unbound>(_ => unbound.TrySetResult());
        }

        protected override void PreStart() =>
            Context.System.Tcp().Tell(new Tcp.Bind(Self, new IPEndPoint(IPAddress.Loopback, 0), backlog: 512) { TcpSettings = _settings });
    }

    /// <summary>Echoes every Received back; in sink mode counts bytes and answers the count at the peer's EOF.</summary>
    private sealed class Handler : ReceiveActor
    {
        private long _total;

        public Handler(IActorRef connection, bool sink)
        {
            Receive<Tcp.Received>(r =>
            {
                if (sink) _total += r.Data.Count;
                else connection.Tell(Tcp.Write.Create(r.Data));
            });
            Receive<Tcp.PeerClosed>(_ =>
            {
                if (!sink) { Context.Stop(Self); return; }
                connection.Tell(Tcp.Write.Create(ByteString.FromBytes(TcpEcho.CountReply(_total))));
                connection.Tell(Tcp.Close.Instance);
            });
            Receive<Tcp.ConnectionClosed>(_ => Context.Stop(Self));
            Receive<Tcp.CommandFailed>(_ => Context.Stop(Self));
        }
    }

    /// <summary>n request/response round trips of 64 bytes on one connection, then close.</summary>
    private sealed class Client : ReceiveActor
    {
        private readonly IPEndPoint _endpoint;
        private IActorRef? _connection;
        private int _buffered;
        private int _done;

        public Client(IPEndPoint endpoint, int n, TaskCompletionSource finished)
        {
            _endpoint = endpoint;
            Receive<Tcp.Connected>(_ =>
            {
                _connection = Sender;
                _connection.Tell(new Tcp.Register(Self));
                _connection.Tell(Tcp.Write.Create(Request));
            });
            Receive<Tcp.Received>(r =>
            {
                _buffered += r.Data.Count;
                while (_buffered >= TcpEcho.MessageSize)
                {
                    _buffered -= TcpEcho.MessageSize;
                    if (++_done == n)
                    {
                        finished.TrySetResult();
                        _connection!.Tell(Tcp.Close.Instance);
                        return;
                    }
                    _connection!.Tell(Tcp.Write.Create(Request));
                }
            });
            Receive<Tcp.CommandFailed>(f =>
            {
                finished.TrySetException(new InvalidOperationException($"Akka.IO command failed: {f.Cmd}"));
                Context.Stop(Self);
            });
            Receive<Tcp.ConnectionClosed>(c =>
            {
                if (_done < n) finished.TrySetException(new InvalidOperationException($"connection closed after {_done} of {n} round trips: {c}"));
                Context.Stop(Self);
            });
        }

        protected override void PreStart() => Context.System.Tcp().Tell(new Tcp.Connect(_endpoint));
    }

    private sealed class Ack : Tcp.Event
    {
        public static readonly Ack Instance = new();
    }

    /// <summary>Writes total bytes in 64 KiB chunks, one acknowledged write in flight (as drain() allows one buffer),
    /// then half-closes and reads the sink's 8-byte count.</summary>
    private sealed class Streamer : ReceiveActor
    {
        private static readonly ByteString ChunkData = ByteString.FromBytes(new byte[TcpEcho.Chunk]);
        private readonly IPEndPoint _endpoint;
        private IActorRef? _connection;
        private long _sent;
        private byte[] _reply = [];

        public Streamer(IPEndPoint endpoint, long total, TaskCompletionSource<long> result)
        {
            _endpoint = endpoint;
            Receive<Tcp.Connected>(_ =>
            {
                _connection = Sender;
                _connection.Tell(new Tcp.Register(Self, keepOpenOnPeerClosed: true));
                _connection.Tell(Tcp.Write.Create(ChunkData, Ack.Instance));
            });
            Receive<Ack>(_ =>
            {
                _sent += TcpEcho.Chunk;
                if (_sent < total) _connection!.Tell(Tcp.Write.Create(ChunkData, Ack.Instance));
                else _connection!.Tell(Tcp.ConfirmedClose.Instance);
            });
            Receive<Tcp.Received>(r =>
            {
                _reply = [.. _reply, .. r.Data.ToArray()];
                if (_reply.Length >= 8) result.TrySetResult(BinaryPrimitives.ReadInt64BigEndian(_reply));
            });
            Receive<Tcp.CommandFailed>(f =>
            {
                result.TrySetException(new InvalidOperationException($"Akka.IO command failed: {f.Cmd}"));
                Context.Stop(Self);
            });
            Receive<Tcp.ConnectionClosed>(c =>
            {
                result.TrySetException(new InvalidOperationException($"connection closed before the sink's reply: {c}"));
                Context.Stop(Self);
            });
        }

        protected override void PreStart() => Context.System.Tcp().Tell(new Tcp.Connect(_endpoint));
    }
}
