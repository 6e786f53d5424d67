using System.Runtime.ExceptionServices;
using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.StreamWriter: the write side of a stream (a TCP connection from <c>Aio.OpenConnection</c> /
/// <c>Aio.StartServer</c>, a subprocess's stdin).</summary>
/// <remarks>
/// <see cref="Write(byte[])"/> never blocks: bytes go to the transport's buffer. <see cref="DrainAsync"/> is the flow
/// control: it waits while more than the high-water mark is buffered, until the buffer is down to the low-water mark
/// (<c>actors.asyncio.streams.high-water-mark</c> / <c>low-water-mark</c>, 64 KiB / 16 KiB), so
/// <c>Write; await DrainAsync()</c> in a loop never outruns a slow peer. Use it on the loop thread of its task.
/// </remarks>
public sealed class AioStreamWriter
{
    private static long s_ids;

    private readonly long _id = Interlocked.Increment(ref s_ids);
    private readonly IAioWriteTransport _transport;
    private readonly AioStreamReader? _reader;
    private readonly AioEventLoop _loop;
    private readonly Action<StreamWaiter> _onDrainCancelled;
    private readonly Action<StreamWaiter> _onClosedWaitCancelled;
    private List<StreamWaiter>? _drainWaiters;
    private List<StreamWaiter>? _closedWaiters;
    private bool _closeCalled;
    private bool _eofWritten;
    private bool _connectionLost;
    private Exception? _lostError;
    private int _highWater;
    private int _lowWater;

    /// <summary>A writer over <paramref name="transport"/>; <paramref name="reader"/> is the paired read side, whose
    /// error <see cref="DrainAsync"/> reports (asyncio's StreamWriter(transport, protocol, reader, loop)).</summary>
    internal AioStreamWriter(IAioWriteTransport transport, AioStreamReader? reader, AioEventLoop loop, int highWaterMark, int lowWaterMark)
    {
        _transport = transport;
        _reader = reader;
        _loop = loop;
        SetWriteBufferLimits(highWaterMark, lowWaterMark);
        _onDrainCancelled = w => _drainWaiters?.Remove(w);
        _onClosedWaitCancelled = w => _closedWaiters?.Remove(w);
    }

    /// <summary>A writer with the water marks of <paramref name="loop"/>'s HOCON (<c>actors.asyncio.streams</c>).</summary>
    internal AioStreamWriter(IAioWriteTransport transport, AioStreamReader? reader, AioEventLoop loop)
        : this(transport, reader, loop, StreamSettings.For(loop).HighWaterMark, StreamSettings.For(loop).LowWaterMark) { }

    /// <summary>The transport underneath (asyncio's writer.transport).</summary>
    internal IAioWriteTransport Transport => _transport;

    /// <summary>asyncio's is_closing(): true once <see cref="Close"/> was called or the connection was lost.</summary>
    public bool IsClosing => _closeCalled || _connectionLost || _transport.IsClosing;

    /// <summary>asyncio's can_write_eof(): true for TCP (half-close supported).</summary>
    public bool CanWriteEof => _transport.CanWriteEof;

    /// <summary>asyncio's transport.get_write_buffer_size(): bytes written and not yet handed to the OS.</summary>
    public long WriteBufferSize => _transport.WriteBufferSize;

    /// <summary>The high-water mark <see cref="DrainAsync"/> compares <see cref="WriteBufferSize"/> with.</summary>
    public int HighWaterMark => _highWater;

    /// <summary>The low-water mark a waiting <see cref="DrainAsync"/> waits for.</summary>
    public int LowWaterMark => _lowWater;

    /// <summary>asyncio's transport.set_write_buffer_limits(high, low): the water marks of <see cref="DrainAsync"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 0 &lt;= <paramref name="low"/> &lt;= <paramref name="high"/>.</exception>
    public void SetWriteBufferLimits(int high, int low)
    {
        if (low < 0 || high < low) throw Errors.BadWaterMarks(high, low);
        _highWater = high;
        _lowWater = low;
        OnWriteBufferShrunk();
    }

    /// <summary>asyncio's write(data): queues <paramref name="data"/> for sending; never blocks (pair with
    /// <see cref="DrainAsync"/>). The bytes are copied: the array can be reused at once.</summary>
    /// <exception cref="InvalidOperationException">The writer was closed, or <see cref="WriteEof"/> was called.</exception>
    /// <exception cref="IOException">The connection was lost.</exception>
    public void Write(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Write(data.AsSpan());
    }

    /// <summary>asyncio's write(data) for a span of bytes (copied).</summary>
    /// <exception cref="InvalidOperationException">The writer was closed, or <see cref="WriteEof"/> was called.</exception>
    /// <exception cref="IOException">The connection was lost.</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        ThrowIfCannotWrite();
        if (data.IsEmpty) return;
        _transport.Write(data);
    }

    /// <summary>asyncio's writelines(data): writes each array in order, as one <see cref="Write(byte[])"/> each.</summary>
    /// <exception cref="InvalidOperationException">The writer was closed, or <see cref="WriteEof"/> was called.</exception>
    /// <exception cref="IOException">The connection was lost.</exception>
    public void WriteLines(IEnumerable<byte[]> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ThrowIfCannotWrite();
        foreach (var chunk in data)
        {
            ArgumentNullException.ThrowIfNull(chunk, nameof(data));
            if (chunk.Length > 0) _transport.Write(chunk);
        }
    }

    /// <summary>asyncio's write_eof(): half-closes the stream once what is buffered is sent. The peer reads end of
    /// file and can still write back; this side keeps reading.</summary>
    /// <exception cref="NotSupportedException"><see cref="CanWriteEof"/> is false.</exception>
    public void WriteEof()
    {
        if (!_transport.CanWriteEof) throw Errors.CannotWriteEof(this);
        if (_eofWritten || IsClosing) return;
        _eofWritten = true;
        _transport.WriteEof();
    }

    /// <summary>asyncio's drain(): returns at once while the write buffer is at or below the high-water mark;
    /// otherwise waits until it is down to the low-water mark. Several concurrent drains are released together.</summary>
    /// <param name="cancellationToken">Cancels the wait (the written bytes are still sent).</param>
    /// <exception cref="InvalidOperationException">The writer was closed with <see cref="Close"/>.</exception>
    /// <exception cref="IOException">The connection was lost (reset by the peer, or closed before the bytes left);
    /// or the paired reader's error.</exception>
    /// <remarks>Cancelling the awaiting task cancels the wait, not the writes. A drain waiting for the peer counts as
    /// I/O in flight: a virtual clock does not jump past it.</remarks>
    public Task DrainAsync(CancellationToken cancellationToken = default)
    {
        if (_reader?.Exception is { } readerError) return Task.FromException(readerError);
        if (_connectionLost) return Task.FromException(LostError());
        if (_closeCalled) return Task.FromException(Errors.DrainAfterClose(this));
        if (_transport.WriteBufferSize <= _highWater) return Task.CompletedTask;
        cancellationToken.ThrowIfCancellationRequested();
        var w = new StreamWaiter(_loop, _onDrainCancelled);
        (_drainWaiters ??= new List<StreamWaiter>(1)).Add(w);
        // Acks from the socket will wake this drain: the virtual clock must not jump past them.
        _loop.BeginExternalWork();
        w.HoldsExternalWork = true;
        w.Start(cancellationToken);
        return AwaitDrain(w);
    }

    private async Task AwaitDrain(StreamWaiter w)
    {
        try { await w.Task; }
        finally { w.Unregister(); }
    }

    /// <summary>asyncio's close(): sends what is buffered, then closes the connection; idempotent.
    /// <see cref="IsClosing"/> is true at once; <see cref="WaitClosedAsync"/> waits for the end.</summary>
    public void Close()
    {
        if (_closeCalled) return;
        _closeCalled = true;
        _transport.Close();
    }

    /// <summary>asyncio's transport.abort(): closes at once (a reset), dropping what is buffered.</summary>
    public void Abort()
    {
        _closeCalled = true;
        _transport.Abort();
    }

    /// <summary>asyncio's wait_closed(): waits until the connection is really closed; may be awaited several times.</summary>
    /// <param name="cancellationToken">Cancels the wait (not the close).</param>
    /// <exception cref="IOException">The connection was lost with an error (e.g. reset by the peer).</exception>
    public Task WaitClosedAsync(CancellationToken cancellationToken = default)
    {
        if (_connectionLost) return _lostError is null ? Task.CompletedTask : Task.FromException(_lostError);
        cancellationToken.ThrowIfCancellationRequested();
        var w = new StreamWaiter(_loop, _onClosedWaitCancelled);
        (_closedWaiters ??= new List<StreamWaiter>(1)).Add(w);
        w.Start(cancellationToken);
        return AwaitDrain(w);
    }

    /// <summary>asyncio's get_extra_info(name, default): "peername" and "sockname" (an
    /// <see cref="System.Net.IPEndPoint"/> for TCP), or <paramref name="defaultValue"/> for an unknown key.</summary>
    public object? GetExtraInfo(string name, object? defaultValue = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _transport.GetExtraInfo(name) ?? defaultValue;
    }

    // ---- called by the transport (loop thread) ----

    /// <summary>The transport's buffer went down: wake the drains once it is at or below the low-water mark.</summary>
    internal void OnWriteBufferShrunk()
    {
        if (_drainWaiters is not { Count: > 0 } waiters || _transport.WriteBufferSize > _lowWater) return;
        _drainWaiters = null;
        foreach (var w in waiters)
        {
            w.EndExternalWork();
            w.Wake(true);
        }
    }

    /// <summary>The transport is gone for good (asyncio's connection_lost(exc)): pending drains end (with
    /// <paramref name="error"/> when there is one), and <see cref="WaitClosedAsync"/> completes.</summary>
    internal void OnConnectionLost(Exception? error)
    {
        if (_connectionLost) return;
        _connectionLost = true;
        _lostError = error;
        if (_drainWaiters is { } drains)
        {
            _drainWaiters = null;
            foreach (var w in drains)
            {
                w.EndExternalWork();
                if (error is null && _transport.WriteBufferSize == 0) w.Wake(true);
                else w.Fail(error is null ? Errors.ConnectionLost(this) : Errors.ConnectionLost(this, error));
            }
        }
        if (_closedWaiters is { } closed)
        {
            _closedWaiters = null;
            foreach (var w in closed)
            {
                if (error is null) w.Wake(true);
                else w.Fail(error);
            }
        }
    }

    private Exception LostError() => _lostError is null ? Errors.ConnectionLost(this) : Errors.ConnectionLost(this, _lostError);

    private void ThrowIfCannotWrite()
    {
        if (_closeCalled) throw Errors.WriteAfterClose(this);
        if (_eofWritten) throw Errors.WriteAfterEof(this);
        if (_connectionLost) ExceptionDispatchInfo.Throw(LostError());
    }

    /// <summary>asyncio's repr: id, state, buffered bytes, the transport and the reader.</summary>
    public override string ToString()
    {
        string state = _connectionLost ? "closed" : _closeCalled ? "closing" : _eofWritten ? "eof written" : "open";
        return $"<AioStreamWriter #{_id} [{state}, buffered {_transport.WriteBufferSize}] transport={_transport}>";
    }
}
