using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Actors.Asyncio.Internal.SubprocessNative;

namespace Actors.Asyncio.Internal;

/// <summary>
/// asyncio's _UnixWritePipeTransport for a child's stdin: <see cref="Write"/> writes at once what the non-blocking pipe
/// takes and buffers the rest; the <see cref="PipeReactor"/> reports the pipe writable and the loop writes more, so
/// <see cref="AioStreamWriter.DrainAsync"/> can wait on the water marks. Nothing ever blocks a thread.
/// </summary>
/// <remarks>
/// A broken pipe (the child closed stdin or exited) loses the connection with an <see cref="IOException"/> (asyncio's
/// BrokenPipeError), which <see cref="AioProcess.CommunicateAsync"/> ignores as asyncio does. All members run on the
/// loop thread except <see cref="IPipeReadyHandler.OnReady"/>, which only posts back to it.
/// </remarks>
internal sealed class PipeWriteTransport : IAioWriteTransport, IPipeReadyHandler, ILoopWork
{
    private readonly AioEventLoop _loop;
    private readonly SafeFileHandle _handle;
    private readonly int _fd;
    private readonly Action<PipeWriteTransport> _onClosed;
    private readonly Queue<byte[]> _pending = new();
    private AioStreamWriter? _writer;
    private long _id;
    private int _headOffset;          // bytes of _pending.Peek() already written
    private long _buffered;
    private bool _armed;
    private bool _closing;
    private bool _lost;

    public PipeWriteTransport(AioEventLoop loop, SafeFileHandle handle, Action<PipeWriteTransport> onClosed)
    {
        _loop = loop;
        _handle = handle;
        _fd = (int)handle.DangerousGetHandle();
        _onClosed = onClosed;
    }

    /// <summary>The writer to notify of buffer shrinks and of the connection loss.</summary>
    public void SetWriter(AioStreamWriter writer) => _writer = writer;

    public long WriteBufferSize => _buffered;

    public bool CanWriteEof => true;

    public bool IsClosing => _closing || _lost;

    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || _lost || _closing) return;
        if (_pending.Count == 0)
        {
            // asyncio's fast path: straight into the pipe when nothing is queued.
            int n = WriteNow(data);
            if (n < 0) return;                  // lost
            data = data[n..];
            if (data.IsEmpty) return;
        }
        _pending.Enqueue(data.ToArray());
        _buffered += data.Length;
        ArmWritable();
    }

    /// <summary>A pipe has no half-close: asyncio's write_eof() on a pipe closes it.</summary>
    public void WriteEof() => Close();

    public void Close()
    {
        if (_closing || _lost) return;
        _closing = true;
        if (_pending.Count == 0) Lose(null);
    }

    public void Abort()
    {
        _closing = true;
        DropBuffer();
        Lose(null);
    }

    /// <summary>The child has exited: nobody will read what is still buffered (asyncio: the read end closed).</summary>
    public void OnPeerGone()
    {
        if (_lost) return;
        if (_pending.Count == 0) { Lose(null); return; }
        DropBuffer();
        Lose(Errors.BrokenPipe(this));
    }

    public object? GetExtraInfo(string name) => name == "pipe" ? _handle : null;

    // Reactor thread: writable (or the read end closed: EPOLLERR); the loop does the writing.
    void IPipeReadyHandler.OnReady(uint events) => _loop.PostThreadsafe(new ReadyItem(this, null, null));

    void ILoopWork.Execute(object? a, object? b)
    {
        _armed = false;
        if (_lost) return;
        long before = _buffered;
        while (_pending.TryPeek(out var head))
        {
            int n = WriteNow(head.AsSpan(_headOffset));
            if (n < 0) return;                  // lost
            _headOffset += n;
            _buffered -= n;
            if (_headOffset < head.Length) break;
            _pending.Dequeue();
            _headOffset = 0;
        }
        if (_pending.Count > 0) ArmWritable();
        if (_buffered < before) _writer?.OnWriteBufferShrunk();
        if (_pending.Count == 0 && _closing) Lose(null);
    }

    /// <summary>Writes what the pipe takes now: the count, or -1 when the pipe broke (the connection is then lost).</summary>
    private int WriteNow(ReadOnlySpan<byte> data)
    {
        int written = 0;
        while (written < data.Length)
        {
            nint n = write(_fd, ref MemoryMarshal.GetReference(data[written..]), data.Length - written);
            if (n >= 0) { written += (int)n; continue; }
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR) continue;
            if (errno == EAGAIN) break;
            DropBuffer();
            Lose(Errors.BrokenPipe(this, new IOException(new System.ComponentModel.Win32Exception(errno).Message)));
            return -1;
        }
        return written;
    }

    private void ArmWritable()
    {
        if (_armed || _lost) return;
        _armed = true;
        if (_id == 0) _id = PipeReactor.Instance.Register(_fd, this);
        PipeReactor.Instance.Arm(_fd, _id, EPOLLOUT);
    }

    private void DropBuffer()
    {
        _pending.Clear();
        _headOffset = 0;
        _buffered = 0;
    }

    private void Lose(Exception? error)
    {
        if (_lost) return;
        _lost = true;
        if (_id != 0) PipeReactor.Instance.Unregister(_fd, _id);
        _handle.Dispose();
        _writer?.OnConnectionLost(error);
        _onClosed(this);
    }

    public override string ToString() => $"<PipeWriteTransport stdin fd={_fd}{(_lost ? " closed" : _closing ? " closing" : "")} buffered={_buffered}>";
}
