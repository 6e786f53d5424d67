using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Actors.Asyncio.Internal.SubprocessNative;

namespace Actors.Asyncio.Internal;

/// <summary>
/// asyncio's _UnixReadPipeTransport for a child's stdout or stderr: the shared <see cref="PipeReactor"/> reports the
/// non-blocking pipe readable, its thread reads what is there into a rented buffer, and the loop feeds the
/// <see cref="AioStreamReader"/> with it.
/// </summary>
/// <remarks>
/// Reading on the reactor thread lets the pipe keep draining while the loop feeds and the consumer runs. Flow
/// control: while the reader has paused us the descriptor stays disarmed (a chunk already read is still delivered, as
/// the contract allows). The owner learns on the loop when the pipe has ended (EOF, error or close), for asyncio's
/// "wait() waits for the pipes too" (P5).
/// </remarks>
internal sealed class PipeReadTransport : IAioReadTransport, IPipeReadyHandler, ILoopWork
{
    // Armed: epoll armed (or the reactor reading); InFlight: a chunk posted, not fed yet; Disarmed: paused; Ended.
    // Only the loop re-arms after a chunk, so at most one chunk is ever between the pipe and the reader: a slow loop
    // cannot make the reactor read ahead without bound past the reader's pause.
    private const int Disarmed = 0, Armed = 1, InFlight = 2, Ended = 3;

    private readonly AioEventLoop _loop;
    private readonly SafeFileHandle _handle;
    private readonly int _fd;
    private readonly AioStreamReader _reader;
    private readonly Action<PipeReadTransport> _onClosed;
    private readonly int _bufferSize;
    private readonly string _name;
    private long _id;
    private int _arm;
    private volatile bool _paused;
    private volatile bool _closed;

    public PipeReadTransport(AioEventLoop loop, SafeFileHandle handle, AioStreamReader reader, int bufferSize, string name,
        Action<PipeReadTransport> onClosed)
    {
        _loop = loop;
        _handle = handle;
        _fd = (int)handle.DangerousGetHandle();
        _reader = reader;
        _bufferSize = bufferSize;
        _name = name;
        _onClosed = onClosed;
        reader.BindLoop(loop);
        reader.SetTransport(this);
    }

    /// <summary>True once EOF, an error or <see cref="Close"/> ended the pipe (loop thread).</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Starts reading (loop thread).</summary>
    public void Start()
    {
        _id = PipeReactor.Instance.Register(_fd, this);
        _arm = Armed;
        PipeReactor.Instance.Arm(_fd, _id, EPOLLIN);
    }

    public void PauseReading() => _paused = true;

    public void ResumeReading()
    {
        if (!_paused) return;
        _paused = false;
        if (Volatile.Read(ref _arm) != Disarmed || IsClosed) return;    // InFlight: Execute re-arms
        Volatile.Write(ref _arm, Armed);
        PipeReactor.Instance.Arm(_fd, _id, EPOLLIN);
    }

    /// <summary>Stops reading and closes our end (the child gets EPIPE on its next write); the reader gets EOF.</summary>
    public void Close()
    {
        if (IsClosed) return;
        _reader.FeedEof();
        Finish();
    }

    // Reactor thread: read what is there (up to one buffer) and hand it to the loop, which re-arms once it is fed.
    void IPipeReadyHandler.OnReady(uint events)
    {
        if (_closed) return;
        bool added = false;
        byte[]? buffer = null;
        int filled = 0;
        object? outcome = null;      // null: more may come; 0: EOF; Exception: failed
        try
        {
            _handle.DangerousAddRef(ref added);
            buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
            while (filled < buffer.Length)
            {
                nint n = read(_fd, ref buffer[filled], buffer.Length - filled);
                if (n > 0) { filled += (int)n; continue; }
                if (n == 0) { outcome = 0; break; }
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR) continue;
                if (errno != EAGAIN) outcome = new IOException($"Reading the child's {_name} pipe failed: {new System.ComponentModel.Win32Exception(errno).Message}.");
                break;
            }
        }
        catch (ObjectDisposedException) { return; }     // closed meanwhile
        finally { if (added) _handle.DangerousRelease(); }

        if (outcome != null)
        {
            Volatile.Write(ref _arm, Ended);
            if (filled > 0) _loop.PostThreadsafe(new ReadyItem(this, buffer, filled));
            else ArrayPool<byte>.Shared.Return(buffer!);
            _loop.PostThreadsafe(new ReadyItem(this, null, outcome));
            return;
        }
        if (filled == 0)
        {
            ArrayPool<byte>.Shared.Return(buffer!);
            PipeReactor.Instance.Arm(_fd, _id, EPOLLIN);     // spurious wake-up: nothing was there
            return;
        }
        Volatile.Write(ref _arm, InFlight);
        _loop.PostThreadsafe(new ReadyItem(this, buffer, filled));
    }

    // Loop thread: feed one chunk, the EOF or the failure.
    void ILoopWork.Execute(object? a, object? b)
    {
        if (a is byte[] buffer)
        {
            try { if (!IsClosed) _reader.FeedData(buffer.AsSpan(0, (int)b!)); }
            finally { ArrayPool<byte>.Shared.Return(buffer); }
            if (IsClosed || Volatile.Read(ref _arm) != InFlight) return;
            if (_paused) Volatile.Write(ref _arm, Disarmed);
            else
            {
                Volatile.Write(ref _arm, Armed);
                PipeReactor.Instance.Arm(_fd, _id, EPOLLIN);
            }
            return;
        }
        if (IsClosed) return;
        if (b is Exception error) _reader.SetException(error);
        else _reader.FeedEof();
        Finish();
    }

    private void Finish()
    {
        if (IsClosed) return;
        IsClosed = true;
        _closed = true;
        if (_id != 0) PipeReactor.Instance.Unregister(_fd, _id);
        _handle.Dispose();            // a read in progress holds a reference: the fd closes when it is done
        _onClosed(this);
    }

    public override string ToString() => $"<PipeReadTransport {_name} fd={_fd}{(IsClosed ? " closed" : _paused ? " paused" : "")}>";
}
