using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Dispatch.SysMsg;
using Akka.IO;

namespace Actors.Asyncio.Internal;

/// <summary>
/// One TCP connection seen from the loop: the handler registered with Akka.IO's connection actor, and the transport
/// under the connection's <see cref="AioStreamReader"/> and <see cref="AioStreamWriter"/>.
/// </summary>
/// <remarks>
/// <para>It is a minimal actor ref hosted by the loop (as a task's ref is): Akka.IO's connection actor, on the default
/// dispatcher, tells it <c>Received</c>, write acks and close events, and each message becomes one item of the loop's
/// ready queue, so every state change happens on the loop thread without locks.</para>
/// <para>Writes made during one loop iteration are coalesced into one <c>Tcp.Write</c> sent at the next iteration.
/// <see cref="WriteBufferSize"/> counts bytes written and not yet confirmed sent: a write asks Akka.IO for an ack once
/// the bytes since the last ack reach the low-water mark (or when a drain needs one), and an ack confirms every earlier
/// write too, because Akka.IO sends in order. Reading is push mode; the reader's flow control sends
/// <c>SuspendReading</c>/<c>ResumeReading</c>.</para>
/// </remarks>
internal sealed class TcpStreamConnection : MinimalActorRef, ILoopWork, IAioReadTransport, IAioWriteTransport
{
    private static long s_ids;
    private static readonly FlushWork s_flush = new();

    private readonly AioEventLoop _loop;
    private readonly long _id = Interlocked.Increment(ref s_ids);
    private IActorRef? _connection;
    private EndPoint? _remote;
    private EndPoint? _local;
    private AioStreamReader? _reader;
    private AioStreamWriter? _writer;
    private Action<TcpStreamConnection, Exception?>? _onConnectDone;
    private Action<TcpStreamConnection>? _onLost;

    // write side
    private byte[]? _pending;
    private int _pendingCount;
    private bool _flushScheduled;
    private long _sentTotal;          // bytes told to the connection actor
    private long _confirmedTotal;     // bytes Akka.IO confirmed sent (by ack)
    private long _lastAckRequestAt;   // _sentTotal when an ack was last requested
    private int _ackEvery = 1;

    // lifecycle
    private bool _closeRequested;
    private bool _eofRequested;
    private bool _readingPaused;
    private bool _lost;

    private TcpStreamConnection(AioEventLoop loop)
    {
        _loop = loop;
        Path = loop.ActorRef.Path / ("tcp-" + _id);
        Provider = loop.Provider;
    }

    /// <summary>An outgoing connection: tells Akka.IO's manager to connect; <paramref name="onDone"/> runs on the loop
    /// with null once connected and registered, or with the failure.</summary>
    public static TcpStreamConnection Connect(AioEventLoop loop, IActorRef tcp, EndPoint remote, TcpSettings settings,
        Action<TcpStreamConnection, Exception?> onDone)
    {
        var c = new TcpStreamConnection(loop) { _onConnectDone = onDone };
        var connect = new Tcp.Connect(remote, null, null, null, false) { TcpSettings = settings };
        // Connecting is real I/O the loop waits for: the virtual clock must not jump past it.
        loop.BeginExternalWork();
        tcp.Tell(connect, c);
        return c;
    }

    /// <summary>An accepted connection: the server got <c>Connected</c> from <paramref name="connection"/>.</summary>
    public static TcpStreamConnection Accepted(AioEventLoop loop, IActorRef connection, Tcp.Connected connected)
    {
        var c = new TcpStreamConnection(loop);
        c.Attach(connection, connected);
        return c;
    }

    public override ActorPath Path { get; }

    public override IActorRefProvider Provider { get; }

    public AioStreamReader Reader => _reader!;

    public AioStreamWriter Writer => _writer!;

    /// <summary>Builds the reader and writer (on the loop thread, before any message can reach them).</summary>
    public void CreateStreams(int limit, StreamSettings settings, Action<TcpStreamConnection>? onLost)
    {
        _onLost = onLost;
        _reader = new AioStreamReader(_loop, limit);
        _reader.SetTransport(this);
        _writer = new AioStreamWriter(this, _reader, _loop, settings.HighWaterMark, settings.LowWaterMark);
        _ackEvery = Math.Max(1, settings.LowWaterMark);
    }

    private void Attach(IActorRef connection, Tcp.Connected connected)
    {
        _connection = connection;
        _remote = Normalize(connected.RemoteAddress);
        _local = Normalize(connected.LocalAddress);
        // keepOpenOnPeerClosed: the peer's FIN is a half-close (the reader sees EOF, we can still write), as asyncio.
        connection.Tell(new Tcp.Register(this, keepOpenOnPeerClosed: true, useResumeWriting: false), this);
    }

    /// <summary>Akka.IO's outgoing sockets are dual-mode IPv6: report an IPv4 peer as IPv4, as asyncio does.</summary>
    private static EndPoint? Normalize(EndPoint? ep) =>
        ep is IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip ? new IPEndPoint(ip.Address.MapToIPv4(), ip.Port) : ep;

    // ---- messages from Akka.IO (any thread) -> the loop ----

    protected override void TellInternal(object message, IActorRef sender) =>
        _loop.PostOrDrop(new ReadyItem(this, message, sender), message, sender, this);

    public override void SendSystemMessage(ISystemMessage message)
    {
        // Watch/Unwatch from the connection actor: it only watches to stop when the handler dies, and this handler
        // lives as long as the connection, so there is nothing to report.
    }

    void ILoopWork.Execute(object? a, object? b)
    {
        switch (a)
        {
            case Tcp.Received r:
                if (_closeRequested || _reader == null) return;   // asyncio: no data_received after close()
                _reader.FeedData(r.Data.ToReadOnlySpan());
                break;
            case WriteAck ack:
                if (ack.End > _confirmedTotal) _confirmedTotal = ack.End;
                _writer?.OnWriteBufferShrunk();
                break;
            case Tcp.PeerClosed:
                if (_reader is { AtEof: false } && !_closeRequested) FeedEofOnce();
                break;
            case Tcp.ErrorClosed e:
                ConnectionLost(new IOException($"Connection lost: {e.Cause}"));
                break;
            case Tcp.ConnectionClosed:   // Closed, ConfirmedClosed, Aborted
                ConnectionLost(null);
                break;
            case Tcp.Connected c when _onConnectDone != null:
                _loop.EndExternalWork();
                Attach((IActorRef)b!, c);
                var done = _onConnectDone;
                _onConnectDone = null;
                done(this, null);
                break;
            case Tcp.CommandFailed f when f.Cmd is Tcp.Connect && _onConnectDone != null:
                _loop.EndExternalWork();
                var failed = _onConnectDone;
                _onConnectDone = null;
                failed(this, f.Cause.HasValue ? f.Cause.Value : new IOException($"Connect failed: {f.CauseString}"));
                break;
            case Tcp.CommandFailed f when f.Cmd is Tcp.WriteCommand:
                // Akka.IO drops a write only when the connection is closing or failed: the bytes are lost.
                ConnectionLost(f.Cause.HasValue ? new IOException($"Connection lost: a write was dropped ({f.Cause.Value.Message}).", f.Cause.Value)
                                                : new IOException("Connection lost: a write was dropped."));
                break;
        }
    }

    private void FeedEofOnce()
    {
        if (_reader != null && _reader.Exception == null && !_readerEof)
        {
            _readerEof = true;
            _reader.FeedEof();
        }
    }

    private bool _readerEof;

    private void ConnectionLost(Exception? error)
    {
        if (_lost) return;
        _lost = true;
        _pending = null;
        _pendingCount = 0;
        if (_reader != null)
        {
            if (error == null) FeedEofOnce();
            else if (!_closeRequested) _reader.SetException(error);
            else FeedEofOnce();
        }
        // An error after our own close (e.g. the reset our abort provoked) is not the user's failure.
        _writer?.OnConnectionLost(_closeRequested ? null : error);
        _onLost?.Invoke(this);
    }

    // ---- IAioReadTransport ----

    public void PauseReading()
    {
        if (_readingPaused || _lost) return;
        _readingPaused = true;
        _connection?.Tell(Tcp.SuspendReading.Instance, this);
    }

    public void ResumeReading()
    {
        if (!_readingPaused || _lost) return;
        _readingPaused = false;
        _connection?.Tell(Tcp.ResumeReading.Instance, this);
    }

    // ---- IAioWriteTransport ----

    public long WriteBufferSize => _pendingCount + (_sentTotal - _confirmedTotal);

    public bool CanWriteEof => true;

    public bool IsClosing => _closeRequested || _lost;

    public void Write(ReadOnlySpan<byte> data)
    {
        if (_lost) return;
        int needed = _pendingCount + data.Length;
        if (_pending == null || needed > _pending.Length)
        {
            var bigger = new byte[Math.Max(needed, Math.Max(512, (_pending?.Length ?? 0) * 2))];
            if (_pendingCount > 0) Buffer.BlockCopy(_pending!, 0, bigger, 0, _pendingCount);
            _pending = bigger;
        }
        data.CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount = needed;
        if (!_flushScheduled)
        {
            _flushScheduled = true;
            _loop.Post(new ReadyItem(s_flush, this, null));
        }
    }

    /// <summary>Sends what was written during the iteration as one Tcp.Write (the array is handed over, not copied).</summary>
    private void Flush()
    {
        _flushScheduled = false;
        if (_pendingCount == 0 || _connection == null || _lost) return;
        var data = ByteString.FromBytes(_pending!, 0, _pendingCount);
        _sentTotal += _pendingCount;
        _pending = null;
        _pendingCount = 0;
        if (_sentTotal - _lastAckRequestAt >= _ackEvery)
        {
            _lastAckRequestAt = _sentTotal;
            _connection.Tell(Tcp.Write.Create(data, new WriteAck(_sentTotal)), this);
        }
        else _connection.Tell(Tcp.Write.Create(data), this);
    }

    public void WriteEof()
    {
        if (_closeRequested || _eofRequested || _lost) return;
        _eofRequested = true;
        Flush();
        // ConfirmedClose sends FIN once the writes are out and keeps reading until the peer's FIN (half-close).
        _connection?.Tell(Tcp.ConfirmedClose.Instance, this);
    }

    public void Close()
    {
        if (_closeRequested || _lost) return;
        _closeRequested = true;
        // After WriteEof our FIN is already on its way and Akka.IO only waits for the peer's (it ignores Close then);
        // an abort could still drop bytes sitting in the kernel's send buffer, so the close completes when the peer
        // closes its side. Data arriving meanwhile is discarded, as after asyncio's close().
        if (_eofRequested) return;
        Flush();
        _connection?.Tell(Tcp.Close.Instance, this);
    }

    public void Abort()
    {
        if (_lost) return;
        _closeRequested = true;
        _pending = null;
        _pendingCount = 0;
        _connection?.Tell(Tcp.Abort.Instance, this);
    }

    public object? GetExtraInfo(string name) => name switch
    {
        "peername" => _remote,
        "sockname" => _local,
        _ => null,
    };

    public override string ToString() =>
        $"<TcpTransport #{_id} {_local} -> {_remote} [{(_lost ? "closed" : _closeRequested ? "closing" : _eofRequested ? "eof sent" : "open")}]>";

    /// <summary>The ack event of a write: <see cref="End"/> is the stream offset just past its last byte.</summary>
    private sealed class WriteAck(long end) : Tcp.Event
    {
        public long End { get; } = end;
    }

    private sealed class FlushWork : ILoopWork
    {
        public void Execute(object? a, object? b) => ((TcpStreamConnection)a!).Flush();
        public override string ToString() => "<tcp write flush>";
    }
}
