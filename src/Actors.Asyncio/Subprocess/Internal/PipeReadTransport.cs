using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Actors.Asyncio.Internal;

/// <summary>
/// asyncio's _UnixReadPipeTransport for a child's stdout or stderr: reads the pipe on the thread pool and feeds the
/// <see cref="AioStreamReader"/> on the loop thread.
/// </summary>
/// <remarks>
/// One read is in flight at a time (a blocking read(2) in a pool work item, which is what FileStream does with a pipe),
/// into a rented buffer that travels to the loop with the bytes, so the next read starts at once instead of waiting
/// for the loop: the pipe keeps draining while the loop feeds. Flow control: while the reader has paused us, no new
/// read starts (a read already in flight is still delivered, as the contract allows). The owner is told on the loop
/// when the pipe has closed (EOF or error), for asyncio's "wait() waits for the pipes too" (P5).
/// </remarks>
internal sealed class PipeReadTransport : IAioReadTransport, ILoopWork
{
    private const int Idle = 0, Reading = 1, Done = 2;

    private readonly AioEventLoop _loop;
    private readonly SafeFileHandle _handle;
    private readonly FileStream _stream;
    private readonly AioStreamReader _reader;
    private readonly Action<PipeReadTransport> _onClosed;
    private readonly int _bufferSize;
    private readonly string _name;
    private readonly Action _onReadCompleted;
    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _pending;
    private byte[]? _buffer;
    private int _state;               // Idle / Reading / Done; Reading is owned by the pool side
    private volatile bool _paused;
    private volatile bool _closed;

    public PipeReadTransport(AioEventLoop loop, SafeFileHandle handle, AioStreamReader reader, int bufferSize, string name,
        Action<PipeReadTransport> onClosed)
    {
        _loop = loop;
        _handle = handle;
        // Unbuffered: each ReadAsync is one read(2) on the pool (RandomAccess refuses unseekable handles).
        _stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        _reader = reader;
        _bufferSize = bufferSize;
        _name = name;
        _onClosed = onClosed;
        _onReadCompleted = OnReadCompleted;
        reader.BindLoop(loop);
        reader.SetTransport(this);
    }

    /// <summary>True once EOF, an error or <see cref="Close"/> ended the pipe (loop thread).</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Starts reading (loop thread).</summary>
    public void Start() => TryStartRead();

    public void PauseReading() => _paused = true;

    public void ResumeReading()
    {
        if (!_paused) return;
        _paused = false;
        TryStartRead();
    }

    /// <summary>Stops reading and closes our end; the child gets EPIPE on its next write. A read blocked in the kernel
    /// keeps the descriptor until it returns (SafeHandle reference counting), then the close happens.</summary>
    public void Close()
    {
        if (_closed) return;
        _closed = true;
        _handle.Dispose();
        Finish();
    }

    private void TryStartRead()
    {
        if (_paused || _closed) return;
        if (Interlocked.CompareExchange(ref _state, Reading, Idle) != Idle) return;
        _loop.BeginExternalWork();
        IssueRead();
    }

    // Pool side (or the loop for the first read): state is Reading and one unit of external work is held.
    private void IssueRead()
    {
        _buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
        try
        {
            _pending = _stream.ReadAsync(_buffer.AsMemory(0, _bufferSize)).ConfigureAwait(false).GetAwaiter();
        }
        catch (Exception e)
        {
            Deliver(e, 0);
            return;
        }
        if (_pending.IsCompleted) OnReadCompleted();
        else _pending.UnsafeOnCompleted(_onReadCompleted);
    }

    private void OnReadCompleted()
    {
        int n;
        try { n = _pending.GetResult(); }
        catch (Exception e) { Deliver(e, 0); return; }
        Deliver(null, n);
    }

    private void Deliver(Exception? error, int n)
    {
        var buffer = _buffer!;
        _buffer = null;
        bool more = error == null && n > 0 && !_closed;
        // Post before releasing the external work, so a virtual clock sees the inbox busy, never an idle gap.
        _loop.PostThreadsafe(new ReadyItem(this, buffer, error ?? (object)n));
        if (more && !_paused)
        {
            IssueRead();                 // keep Reading and the external work: the pipe keeps draining
            return;
        }
        Volatile.Write(ref _state, more ? Idle : Done);
        _loop.EndExternalWork();
        // ResumeReading may have run between the check and the state change: it saw Reading and did nothing.
        if (more && !_paused && !_closed && Interlocked.CompareExchange(ref _state, Reading, Idle) == Idle)
        {
            _loop.BeginExternalWork();
            IssueRead();
        }
    }

    // Loop side: feed what one read brought.
    void ILoopWork.Execute(object? a, object? b)
    {
        var buffer = (byte[])a!;
        try
        {
            if (IsClosed) return;
            if (b is int n)
            {
                if (n > 0) _reader.FeedData(buffer.AsSpan(0, n));
                else
                {
                    _reader.FeedEof();
                    Finish();
                }
            }
            else
            {
                _reader.SetException(b as Exception ?? new IOException($"Reading the {_name} pipe failed."));
                Finish();
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    private void Finish()
    {
        if (IsClosed) return;
        IsClosed = true;
        if (!_closed)
        {
            _closed = true;
            _handle.Dispose();
        }
        _onClosed(this);
    }

    public override string ToString() => $"<PipeReadTransport {_name}{(IsClosed ? " closed" : _paused ? " paused" : "")}>";
}
