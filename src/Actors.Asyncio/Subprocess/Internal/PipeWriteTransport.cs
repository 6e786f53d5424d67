using Microsoft.Win32.SafeHandles;

namespace Actors.Asyncio.Internal;

/// <summary>
/// asyncio's _UnixWritePipeTransport for a child's stdin: <see cref="Write"/> buffers on the loop thread, one batch at a
/// time is written by a blocking write(2) on the thread pool, and the loop learns how much left so
/// <see cref="AioStreamWriter.DrainAsync"/> can wait on the water marks.
/// </summary>
/// <remarks>
/// A child that stops reading blocks the pool write until it reads or exits; the loop never blocks. A broken pipe
/// (the child closed stdin or exited) loses the connection with an <see cref="IOException"/> (asyncio's
/// BrokenPipeError), which <see cref="AioProcess.CommunicateAsync"/> ignores as asyncio does.
/// </remarks>
internal sealed class PipeWriteTransport : IAioWriteTransport, ILoopWork
{
    private readonly AioEventLoop _loop;
    private readonly SafeFileHandle _handle;
    private readonly FileStream _stream;
    private readonly Action<PipeWriteTransport> _onClosed;
    private readonly Queue<byte[]> _pending = new();
    private AioStreamWriter? _writer;
    private long _buffered;
    private bool _writing;
    private bool _closing;
    private bool _lost;

    public PipeWriteTransport(AioEventLoop loop, SafeFileHandle handle, Action<PipeWriteTransport> onClosed)
    {
        _loop = loop;
        _handle = handle;
        _stream = new FileStream(handle, FileAccess.Write, bufferSize: 0);
        _onClosed = onClosed;
    }

    /// <summary>True once the pipe is closed for good (loop thread).</summary>
    public bool IsClosed => _lost;

    /// <summary>The writer to notify of buffer shrinks and the connection loss.</summary>
    public void SetWriter(AioStreamWriter writer) => _writer = writer;

    public long WriteBufferSize => _buffered;

    public bool CanWriteEof => true;

    public bool IsClosing => _closing || _lost;

    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || _lost) return;
        _pending.Enqueue(data.ToArray());
        _buffered += data.Length;
        StartWrite();
    }

    /// <summary>A pipe has no half-close: asyncio's write_eof() on a pipe closes it.</summary>
    public void WriteEof() => Close();

    public void Close()
    {
        if (_closing || _lost) return;
        _closing = true;
        if (!_writing) Lose(null);
    }

    public void Abort()
    {
        _closing = true;
        _pending.Clear();
        _buffered = 0;
        Lose(null);
    }

    /// <summary>The child is gone: nobody will read what is still buffered (asyncio: the pipe's read end closed).</summary>
    public void OnPeerGone()
    {
        if (_lost) return;
        if (!_writing && _pending.Count == 0) Lose(null);
        else
        {
            _pending.Clear();
            _buffered = 0;
            Lose(Errors.BrokenPipe(this));
        }
    }

    public object? GetExtraInfo(string name) => name == "pipe" ? _handle : null;

    private void StartWrite()
    {
        if (_writing || _lost || _pending.Count == 0) return;
        _writing = true;
        byte[] batch;
        if (_pending.Count == 1) batch = _pending.Dequeue();
        else
        {
            // Coalesce small writes into one syscall.
            var all = new byte[_pending.Sum(static b => (long)b.Length)];
            int at = 0;
            while (_pending.TryDequeue(out var b)) { b.CopyTo(all, at); at += b.Length; }
            batch = all;
        }
        _loop.BeginExternalWork();
        ThreadPool.UnsafeQueueUserWorkItem(static s =>
        {
            var (self, data) = ((PipeWriteTransport, byte[]))s!;
            Exception? error = null;
            try { self._stream.Write(data); }
            catch (Exception e) { error = e; }
            self._loop.PostThreadsafe(new ReadyItem(self, data, error));
            self._loop.EndExternalWork();
        }, (this, batch), preferLocal: false);
    }

    // Loop side: one batch is done.
    void ILoopWork.Execute(object? a, object? b)
    {
        var batch = (byte[])a!;
        _writing = false;
        if (_lost) return;
        if (b is Exception error)
        {
            _pending.Clear();
            _buffered = 0;
            Lose(error is IOException or UnauthorizedAccessException ? Errors.BrokenPipe(this, error) : error);
            return;
        }
        _buffered -= batch.Length;
        _writer?.OnWriteBufferShrunk();
        if (_pending.Count > 0) StartWrite();
        else if (_closing) Lose(null);
    }

    private void Lose(Exception? error)
    {
        if (_lost) return;
        _lost = true;
        _handle.Dispose();      // a pool write in flight holds a reference: the fd then closes when it returns
        _writer?.OnConnectionLost(error);
        _onClosed(this);
    }

    public override string ToString() => $"<PipeWriteTransport stdin{(_lost ? " closed" : _closing ? " closing" : "")} buffered={_buffered}>";
}
