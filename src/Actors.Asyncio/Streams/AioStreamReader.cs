using System.Runtime.ExceptionServices;
using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.StreamReader: the buffered read side of a stream (a TCP connection from
/// <c>Aio.OpenConnection</c> / <c>Aio.StartServer</c>, a subprocess pipe).</summary>
/// <remarks>
/// <para>The reader is a byte buffer fed by its transport (<see cref="FeedData"/>, <see cref="FeedEof"/>,
/// <see cref="SetException"/>) and drained by the <c>Read…Async</c> methods. Everything runs on the loop thread of
/// the task that uses it. One read at a time: a second read started while one waits for data throws
/// <see cref="InvalidOperationException"/> (asyncio raises RuntimeError).</para>
/// <para>Flow control: while more than twice <see cref="Limit"/> bytes are buffered the transport is paused, and it
/// resumes once the buffer is back to <see cref="Limit"/> or less, so a slow reader holds the sender back instead of
/// buffering without bound. A read that waits for data of a live transport counts as I/O in flight: a virtual clock
/// (the TestKit's) does not jump past it.</para>
/// </remarks>
public sealed class AioStreamReader
{
    /// <summary>asyncio's <c>_DEFAULT_LIMIT</c>: 64 KiB (overridable in HOCON, <c>actors.asyncio.streams.limit</c>).</summary>
    public const int DefaultLimit = 64 * 1024;

    private static readonly Task<byte[]> s_empty = Task.FromResult(Array.Empty<byte>());
    private static readonly byte[] s_newline = [(byte)'\n'];
    private static long s_ids;

    private readonly long _id = Interlocked.Increment(ref s_ids);
    private readonly Action<StreamWaiter> _onWaiterCancelled;
    private AioEventLoop? _loop;
    private byte[] _buffer = [];
    private int _start;
    private int _count;
    private bool _eof;
    private Exception? _exception;
    private StreamWaiter? _waiter;
    private IAioReadTransport? _transport;
    private bool _paused;

    /// <summary>asyncio's <c>StreamReader(limit)</c>: a reader with nothing fed yet, bound to the loop of the first read
    /// that waits. Feed it with <see cref="FeedData"/> / <see cref="FeedEof"/>.</summary>
    /// <param name="limit">The line limit of <see cref="ReadLineAsync"/> and <see cref="ReadUntilAsync"/>; the transport
    /// is paused above twice this many buffered bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is 0 or less.</exception>
    public AioStreamReader(int limit = DefaultLimit) : this(null, limit) { }

    internal AioStreamReader(AioEventLoop? loop, int limit)
    {
        if (limit <= 0) throw Errors.StreamLimitNotPositive(limit, nameof(limit));
        _loop = loop;
        Limit = limit;
        _onWaiterCancelled = OnWaiterCancelled;
    }

    /// <summary>asyncio's <c>_limit</c>: the longest line (or chunk before a separator) the line reads accept.</summary>
    public int Limit { get; }

    /// <summary>asyncio's at_eof(): true once end of file was fed and the buffer is empty.</summary>
    public bool AtEof => _eof && _count == 0;

    /// <summary>asyncio's exception(): the error set with <see cref="SetException"/>, or null.</summary>
    public Exception? Exception => _exception;

    /// <summary>Bytes received and not read yet.</summary>
    internal int BufferSize => _count;

    /// <summary>A copy of the unread bytes (tests and diagnostics).</summary>
    internal byte[] BufferSnapshot() => _buffer.AsSpan(_start, _count).ToArray();

    /// <summary>Whether the reader has paused its transport (buffer over twice the limit).</summary>
    internal bool IsPaused => _paused;

    /// <summary>Binds the reader to its transport so flow control can pause and resume it (asyncio's set_transport).</summary>
    internal void SetTransport(IAioReadTransport transport)
    {
        if (_transport != null) throw new InvalidOperationException($"Cannot set the transport of {this}: it already has one.");
        _transport = transport;
    }

    /// <summary>Binds the reader to <paramref name="loop"/> (a transport created on it feeds it).</summary>
    internal void BindLoop(AioEventLoop loop) => _loop ??= loop;

    // ---- fed by the transport (loop thread) ----

    /// <summary>asyncio's feed_data(data): appends <paramref name="data"/> to the buffer and wakes a waiting read.
    /// Call it on the loop thread.</summary>
    /// <exception cref="InvalidOperationException">End of file was already fed.</exception>
    public void FeedData(ReadOnlySpan<byte> data)
    {
        if (_eof) throw Errors.FeedAfterEof(this);
        if (data.IsEmpty) return;
        EnsureRoom(data.Length);
        data.CopyTo(_buffer.AsSpan(_start + _count));
        _count += data.Length;
        WakeWaiter();
        if (_transport != null && !_paused && _count > 2L * Limit)
        {
            _paused = true;
            _transport.PauseReading();
        }
    }

    /// <summary>feed_data for a transport that hands over an array nobody else references (Akka.IO's fresh copy of
    /// each socket read): with nothing buffered the array becomes the buffer, and a read that takes all of it gets
    /// the array itself, so a chunk reaches the caller without being copied again.</summary>
    internal void FeedOwned(byte[] data)
    {
        if (_count != 0 || _eof || data.Length == 0)
        {
            FeedData(data);
            return;
        }
        _buffer = data;
        _start = 0;
        _count = data.Length;
        WakeWaiter();
        if (_transport != null && !_paused && _count > 2L * Limit)
        {
            _paused = true;
            _transport.PauseReading();
        }
    }

    /// <summary>asyncio's feed_eof(): marks end of file and wakes a waiting read. Call it on the loop thread.</summary>
    public void FeedEof()
    {
        _eof = true;
        WakeWaiter();
    }

    /// <summary>asyncio's set_exception(exc): every later read throws <paramref name="exception"/>, even while data is
    /// still buffered; a waiting read is woken with it. Call it on the loop thread.</summary>
    public void SetException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _exception = exception;
        var w = _waiter;
        if (w == null) return;
        _waiter = null;
        w.EndExternalWork();
        w.Fail(exception);
    }

    // ---- reads ----

    /// <summary>asyncio's read(n): up to <paramref name="n"/> bytes, as soon as at least one is buffered; an empty
    /// array at end of file. <c>n = -1</c> (the default) reads until end of file; <c>n = 0</c> returns an empty
    /// array at once. Not bounded by <see cref="Limit"/>.</summary>
    /// <param name="n">How many bytes at most, or -1 for everything until end of file.</param>
    /// <param name="cancellationToken">Cancels the wait for data (nothing buffered is lost).</param>
    /// <exception cref="InvalidOperationException">Another read is already waiting for data.</exception>
    /// <exception cref="IOException">The connection failed (or the error set with <see cref="SetException"/>).</exception>
    /// <remarks>Cancelling the awaiting task cancels the wait; no data is consumed by a cancelled read.</remarks>
    public Task<byte[]> ReadAsync(int n = -1, CancellationToken cancellationToken = default)
    {
        if (_exception != null) return Task.FromException<byte[]>(_exception);
        if (n == 0) return s_empty;
        if (n < 0) return ReadToEofAsync(cancellationToken);
        if (_count == 0)
            return _eof ? s_empty : ReadSlowAsync(n, cancellationToken);
        return Task.FromResult(Take(Math.Min(n, _count)));
    }

    private async Task<byte[]> ReadSlowAsync(int n, CancellationToken cancellationToken)
    {
        await WaitForData(nameof(ReadAsync), cancellationToken);
        ThrowIfFailed();
        return _count == 0 ? [] : Take(Math.Min(n, _count));
    }

    private async Task<byte[]> ReadToEofAsync(CancellationToken cancellationToken)
    {
        // Data is moved out as it arrives (asyncio loops on read(limit)): keeping it buffered until EOF would pause
        // the transport at twice the limit and never see the EOF.
        var output = new MemoryStream();
        while (true)
        {
            ThrowIfFailed();
            if (_count > 0)
            {
                output.Write(_buffer, _start, _count);
                Consume(_count);
            }
            if (_eof) return output.ToArray();
            await WaitForData(nameof(ReadAsync), cancellationToken);
        }
    }

    /// <summary>asyncio's readline(): the bytes up to and including "\n"; at end of file the last partial line
    /// without it, then empty arrays.</summary>
    /// <param name="cancellationToken">Cancels the wait for data (nothing buffered is lost).</param>
    /// <exception cref="LimitOverrunException">The line is longer than <see cref="Limit"/> (asyncio raises ValueError
    /// here). As in asyncio the offending line is dropped: through its "\n" when one was found, else the whole buffer.</exception>
    /// <exception cref="InvalidOperationException">Another read is already waiting for data.</exception>
    /// <exception cref="IOException">The connection failed.</exception>
    public async Task<byte[]> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var fast = TryReadUntil(s_newline, 0, out int offset);
            return fast ?? await ReadUntilSlowAsync(s_newline, offset, nameof(ReadLineAsync), cancellationToken);
        }
        catch (IncompleteReadException e)
        {
            return e.Partial;
        }
        catch (LimitOverrunException e)
        {
            if (_count > e.Consumed && _buffer[_start + e.Consumed] == (byte)'\n') Consume(e.Consumed + 1);
            else Consume(_count);
            throw;
        }
    }

    /// <summary>asyncio's readuntil(separator): the bytes up to and including <paramref name="separator"/>.</summary>
    /// <param name="separator">One or more bytes.</param>
    /// <param name="cancellationToken">Cancels the wait for data (nothing buffered is lost).</param>
    /// <exception cref="ArgumentException"><paramref name="separator"/> is empty.</exception>
    /// <exception cref="IncompleteReadException">End of file came first: <c>Partial</c> holds everything that was
    /// buffered (now consumed), <c>Expected</c> is null.</exception>
    /// <exception cref="LimitOverrunException">More than <see cref="Limit"/> bytes come before the separator; the data
    /// stays buffered so it can be read another way.</exception>
    /// <exception cref="InvalidOperationException">Another read is already waiting for data.</exception>
    /// <exception cref="IOException">The connection failed.</exception>
    public Task<byte[]> ReadUntilAsync(byte[] separator, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(separator);
        if (separator.Length == 0) throw Errors.EmptySeparator(nameof(separator));
        try
        {
            var fast = TryReadUntil(separator, 0, out int offset);
            return fast != null ? Task.FromResult(fast) : ReadUntilSlowAsync(separator, offset, nameof(ReadUntilAsync), cancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<byte[]>(e);
        }
    }

    private async Task<byte[]> ReadUntilSlowAsync(byte[] separator, int offset, string method, CancellationToken cancellationToken)
    {
        while (true)
        {
            await WaitForData(method, cancellationToken);
            var chunk = TryReadUntil(separator, offset, out offset);
            if (chunk != null) return chunk;
        }
    }

    /// <summary>One pass of asyncio's readuntil loop: the chunk, or null when more data is needed (with the offset
    /// below which the separator cannot start).</summary>
    private byte[]? TryReadUntil(byte[] separator, int offset, out int nextOffset)
    {
        ThrowIfFailed();
        int seplen = separator.Length;
        nextOffset = offset;
        if (_count - offset >= seplen)
        {
            int found = _buffer.AsSpan(_start + offset, _count - offset).IndexOf(separator);
            if (found >= 0)
            {
                int isep = offset + found;
                if (isep > Limit) throw Errors.SeparatorFoundPastLimit(isep);
                return Take(isep + seplen);
            }
            nextOffset = _count + 1 - seplen;
            if (nextOffset > Limit) throw Errors.SeparatorNotFoundPastLimit(nextOffset);
        }
        if (_eof)
        {
            var partial = Take(_count);
            throw new IncompleteReadException(partial, null);
        }
        return null;
    }

    /// <summary>asyncio's readexactly(n): exactly <paramref name="n"/> bytes. Not bounded by <see cref="Limit"/>.</summary>
    /// <param name="n">How many bytes; 0 returns an empty array.</param>
    /// <param name="cancellationToken">Cancels the wait for data (nothing buffered is lost).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    /// <exception cref="IncompleteReadException">End of file came first: <c>Partial</c> holds what was read (now
    /// consumed), <c>Expected</c> is <paramref name="n"/>.</exception>
    /// <exception cref="InvalidOperationException">Another read is already waiting for data.</exception>
    /// <exception cref="IOException">The connection failed.</exception>
    public Task<byte[]> ReadExactlyAsync(int n, CancellationToken cancellationToken = default)
    {
        if (n < 0) throw Errors.ReadExactlyNegative(n, nameof(n));
        if (_exception != null) return Task.FromException<byte[]>(_exception);
        if (n == 0) return s_empty;
        if (_count >= n) return Task.FromResult(Take(n));
        if (_eof) return Task.FromException<byte[]>(new IncompleteReadException(Take(_count), n));
        return ReadExactlySlowAsync(n, cancellationToken);
    }

    private async Task<byte[]> ReadExactlySlowAsync(int n, CancellationToken cancellationToken)
    {
        while (_count < n)
        {
            if (_eof) throw new IncompleteReadException(Take(_count), n);
            await WaitForData(nameof(ReadExactlyAsync), cancellationToken);
            ThrowIfFailed();
        }
        return Take(n);
    }

    /// <summary>asyncio's <c>async for line in reader</c>: the lines of <see cref="ReadLineAsync"/> until end of file.</summary>
    /// <param name="cancellationToken">Cancels the wait for the next line.</param>
    public async IAsyncEnumerable<byte[]> ReadLinesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line.Length == 0) yield break;
            yield return line;
        }
    }

    // ---- internals ----

    private Task WaitForData(string method, CancellationToken cancellationToken)
    {
        if (_waiter != null) throw Errors.ConcurrentRead(this, method);
        var loop = _loop ??= AioEventLoop.RunningOrThrow(method);
        cancellationToken.ThrowIfCancellationRequested();
        // Waiting while paused would deadlock (readexactly(n) with n > limit): let the transport deliver again.
        if (_paused)
        {
            _paused = false;
            _transport!.ResumeReading();
        }
        var w = new StreamWaiter(loop, _onWaiterCancelled);
        _waiter = w;
        if (_transport != null)
        {
            // Real socket/pipe I/O will wake this read: the virtual clock must not jump past it.
            loop.BeginExternalWork();
            w.HoldsExternalWork = true;
        }
        w.Start(cancellationToken);
        return cancellationToken.CanBeCanceled ? AwaitWaiter(w) : w.Task;
    }

    private static async Task AwaitWaiter(StreamWaiter w)
    {
        try { await w.Task; }
        finally { w.Unregister(); }
    }

    private void OnWaiterCancelled(StreamWaiter w)
    {
        if (ReferenceEquals(_waiter, w)) _waiter = null;
    }

    private void WakeWaiter()
    {
        var w = _waiter;
        if (w == null) return;
        _waiter = null;
        w.EndExternalWork();
        w.Wake(true);
    }

    private void ThrowIfFailed()
    {
        if (_exception != null) ExceptionDispatchInfo.Throw(_exception);
    }

    private byte[] Take(int n)
    {
        if (n != 0 && n == _count && _start == 0 && n == _buffer.Length)
        {
            // The whole buffer, exactly: hand the array over instead of copying it (the reader never writes into
            // an array once it is given away, because it forgets it here).
            var whole = _buffer;
            _buffer = [];
            Consume(n);
            return whole;
        }
        var data = n == 0 ? [] : _buffer.AsSpan(_start, n).ToArray();
        Consume(n);
        return data;
    }

    private void Consume(int n)
    {
        _start += n;
        _count -= n;
        if (_count == 0) _start = 0;
        if (_paused && _count <= Limit)
        {
            _paused = false;
            _transport!.ResumeReading();
        }
    }

    private void EnsureRoom(int more)
    {
        int needed = _count + more;
        if (_start + needed <= _buffer.Length) return;
        if (needed <= _buffer.Length && _count <= _buffer.Length / 2)
        {
            // Enough room once the unread bytes move to the front; only when they are at most half the buffer, so
            // the copies stay proportional to what is read.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _count);
            _start = 0;
            return;
        }
        var bigger = new byte[Math.Max(needed, Math.Max(4096, (int)Math.Min(int.MaxValue, _buffer.Length * 2L)))];
        Buffer.BlockCopy(_buffer, _start, bigger, 0, _count);
        _buffer = bigger;
        _start = 0;
    }

    /// <summary>asyncio's repr: id, buffered bytes, eof, limit, waiter, exception, paused.</summary>
    public override string ToString()
    {
        var s = new System.Text.StringBuilder("<AioStreamReader #").Append(_id);
        if (_count > 0) s.Append(' ').Append(_count).Append(" bytes");
        if (_eof) s.Append(" eof");
        if (Limit != DefaultLimit) s.Append(" limit=").Append(Limit);
        if (_waiter != null) s.Append(" waiting");
        if (_exception != null) s.Append(" exception=").Append(_exception.GetType().Name);
        if (_paused) s.Append(" paused");
        return s.Append('>').ToString();
    }
}
