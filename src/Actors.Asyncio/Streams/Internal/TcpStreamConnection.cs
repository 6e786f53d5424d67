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
/// <para>Writes made during one loop iteration are coalesced into chunks of at most 64 KiB, sent at the next
/// iteration as one <c>Tcp.Write</c> each (so the ack of the first comes back while Akka.IO still sends the next).
/// <see cref="WriteBufferSize"/> counts bytes written and not yet confirmed sent, less one frame
/// (<c>maximum-frame-size</c>, what Akka.IO hands the kernel in one send): that frame plays the part the kernel's send
/// buffer plays under asyncio's transport, so a writer that drains keeps Akka.IO's queue busy while the ack of the
/// previous frame travels back, instead of stopping to wait for it. A write asks Akka.IO for an ack once the bytes
/// since the last ack reach the low-water mark, and an ack confirms every earlier write too, because Akka.IO sends in
/// order.</para>
/// <para>Reading is Akka.IO's pull mode: one socket read per <c>ResumeReading</c>, asked for again after each chunk
/// is fed to the reader unless the reader paused (its buffer is over twice its limit) — at once after a large chunk
/// (more is probably waiting), at the next flush after a small one (so it travels with the reply).
/// The chunk's array (Akka.IO's private copy of the socket read) is handed to the reader without another copy. So at most one chunk
/// (<c>maximum-frame-size</c>) is ever in flight towards the loop, however slow the loop or the reader is — push mode
/// would let the connection actor fill the loop's inbox while the pause is on its way.</para>
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

    // write side: the bytes written during this iteration, in chunks of at most 64 KiB so no write buffer lands on
    // the large-object heap (85,000 bytes and up), sent as one rope at the flush
    private const int ChunkSize = 64 * 1024;
    private byte[]? _chunk;
    private int _chunkCount;
    private readonly List<ByteString> _sealed = new(2);
    private int _pendingCount;
    private bool _flushScheduled;
    private long _sentTotal;          // bytes told to the connection actor
    private long _confirmedTotal;     // bytes Akka.IO confirmed sent (by ack)
    private long _lastAckRequestAt;   // _sentTotal when an ack was last requested
    private int _ackEvery = 1;
    private long _sendAllowance;
    private int _readAheadAt = int.MaxValue;

    // lifecycle
    private bool _closeRequested;
    private bool _eofRequested;
    private bool _readingPaused;
    private bool _readRequested;
    private bool _readWanted;
    private bool _peerEof;
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
        var connect = new Tcp.Connect(remote, null, null, null, pullMode: true) { TcpSettings = settings };
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
        _sendAllowance = TcpStreamSettings.For(_loop.System).MaxFrameSizeBytes;
        _readAheadAt = Math.Max(1, TcpStreamSettings.For(_loop.System).MaxFrameSizeBytes / 2);
    }

    private void Attach(IActorRef connection, Tcp.Connected connected)
    {
        _connection = connection;
        _remote = Normalize(connected.RemoteAddress);
        _local = Normalize(connected.LocalAddress);
        // keepOpenOnPeerClosed: the peer's FIN is a half-close (the reader sees EOF, we can still write), as asyncio.
        connection.Tell(new Tcp.Register(this, keepOpenOnPeerClosed: true, useResumeWriting: false), this);
        RequestRead();
    }

    /// <summary>Asks Akka.IO for the next socket read, unless one is outstanding, reading is paused or over.</summary>
    private void RequestRead()
    {
        if (_readRequested || _readingPaused || _peerEof || _lost || _connection == null) return;
        _readRequested = true;
        _connection.Tell(Tcp.ResumeReading.Instance, this);
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
                _readRequested = false;
                // asyncio: no data_received after close(); reads go on only to reach the peer's FIN.
                if (!_closeRequested && _reader != null) Feed(_reader, r.Data);
                if (r.Data.Count >= _readAheadAt)
                {
                    // A large chunk: the kernel most likely holds more. Read on at once (unless the reader paused),
                    // so the socket read overlaps the reader's work instead of waiting for it.
                    RequestRead();
                }
                else
                {
                    // A small chunk (request/response): ask for the next read from the flush that runs after the
                    // reader's task had its turn, so a reply written meanwhile reaches the connection actor in the
                    // same mailbox run as the read request (one hand-off instead of two).
                    _readWanted = true;
                    ScheduleFlush();
                }
                break;
            case WriteAck ack:
                if (ack.End > _confirmedTotal) _confirmedTotal = ack.End;
                _writer?.OnWriteBufferShrunk();
                break;
            case Tcp.PeerClosed:
                _peerEof = true;
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

    /// <summary>Feeds a received chunk. Akka.IO copies every socket read into a fresh array that only this message
    /// references, so the reader may own that array (no second copy); any other shape is copied.</summary>
    private static void Feed(AioStreamReader reader, ByteString data)
    {
        if (data.IsCompact && !s_noBufferAccess)
        {
            ArraySegment<byte> segment;
            try { segment = ByteStringBuffers(data)[0]; }
            catch (MissingMemberException)
            {
                // Akka.NET renamed its internals: fall back to copying.
                s_noBufferAccess = true;
                reader.FeedData(data.ToReadOnlySpan());
                return;
            }
            if (segment is { Array: { } array, Offset: 0 } && segment.Count == array.Length)
            {
                reader.FeedOwned(array);
                return;
            }
        }
        reader.FeedData(data.ToReadOnlySpan());
    }

    private static bool s_noBufferAccess;

    [System.Runtime.CompilerServices.UnsafeAccessor(System.Runtime.CompilerServices.UnsafeAccessorKind.Field, Name = "_buffers")]
    private static extern ref ArraySegment<byte>[] ByteStringBuffers(ByteString data);

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
        _chunk = null;
        _chunkCount = 0;
        _sealed.Clear();
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

    public void PauseReading() => _readingPaused = true;   // the next read is simply not asked for

    public void ResumeReading()
    {
        _readingPaused = false;
        RequestRead();
    }

    // ---- IAioWriteTransport ----

    public long WriteBufferSize => _pendingCount + Math.Max(0, _sentTotal - _confirmedTotal - _sendAllowance);

    public bool CanWriteEof => true;

    public bool IsClosing => _closeRequested || _lost;

    public void Write(ReadOnlySpan<byte> data)
    {
        if (_lost) return;
        _pendingCount += data.Length;
        while (!data.IsEmpty)
        {
            if (_chunk == null || _chunkCount == _chunk.Length)
            {
                int previous = _chunk?.Length ?? 0;
                if (_chunk != null) SealChunk();
                _chunk = GC.AllocateUninitializedArray<byte>(Math.Min(ChunkSize, Math.Max(Math.Max(256, previous * 2), data.Length)));
            }
            int n = Math.Min(data.Length, _chunk.Length - _chunkCount);
            data[..n].CopyTo(_chunk.AsSpan(_chunkCount));
            _chunkCount += n;
            data = data[n..];
        }
        ScheduleFlush();
    }

    /// <summary>Hands the current chunk over to the iteration's outgoing list (no copy: the array is never reused).</summary>
    private void SealChunk()
    {
        _sealed.Add(ByteString.FromBytes(_chunk!, 0, _chunkCount));
        _chunk = null;
        _chunkCount = 0;
    }

    private void ScheduleFlush()
    {
        if (_flushScheduled) return;
        _flushScheduled = true;
        _loop.Post(new ReadyItem(s_flush, this, null));
    }

    /// <summary>Sends what was written during the iteration as one Tcp.Write (the array is handed over, not copied).</summary>
    private void Flush()
    {
        _flushScheduled = false;
        FlushWrites();
        if (_readWanted)
        {
            _readWanted = false;
            RequestRead();
        }
    }

    private void FlushWrites()
    {
        if (_pendingCount == 0 || _connection == null || _lost) return;
        if (_chunkCount > 0) SealChunk();
        _chunk = null;
        _chunkCount = 0;
        _pendingCount = 0;
        // One Write per chunk (at most 64 KiB, about one Akka.IO send): the ack of the first chunk comes back while
        // Akka.IO still sends the next, so a draining writer refills the queue before it runs dry.
        foreach (var data in _sealed)
        {
            _sentTotal += data.Count;
            if (_sentTotal - _lastAckRequestAt >= _ackEvery)
            {
                _lastAckRequestAt = _sentTotal;
                _connection.Tell(Tcp.Write.Create(data, new WriteAck(_sentTotal)), this);
            }
            else _connection.Tell(Tcp.Write.Create(data), this);
        }
        _sealed.Clear();
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
        if (_eofRequested)
        {
            _readingPaused = false;
            RequestRead();
            return;
        }
        Flush();
        _connection?.Tell(Tcp.Close.Instance, this);
    }

    public void Abort()
    {
        if (_lost) return;
        _closeRequested = true;
        _chunk = null;
        _chunkCount = 0;
        _sealed.Clear();
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
