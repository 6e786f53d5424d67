using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.subprocess.Process: a child started by <see cref="Aio.CreateSubprocessExec"/> or
/// <see cref="Aio.CreateSubprocessShell"/>, with its pipes as streams.</summary>
/// <remarks>
/// Use it from tasks of the loop that started it. The exit is observed without blocking the loop or holding a thread
/// per child (one shared SIGCHLD-driven reaper). Cancelling <see cref="WaitAsync"/> or <see cref="CommunicateAsync"/>
/// never kills the child (asyncio P8). Dropping the object does not kill the child either; closing the loop does, and
/// reports it to the loop's exception handler.
/// </remarks>
public sealed class AioProcess
{
    private readonly SubprocessTransport _transport;
    private List<byte[]>? _stdoutChunks, _stderrChunks;
    private bool _inputSent;
    private int _communicate;     // 0 none (or cancelled: resumable), 1 running, 2 returned

    internal AioProcess(SubprocessTransport transport, AioStreamWriter? stdin, AioStreamReader? stdout, AioStreamReader? stderr)
    {
        _transport = transport;
        Stdin = stdin;
        Stdout = stdout;
        Stderr = stderr;
    }

    /// <summary>asyncio's Process.pid: the child's process id.</summary>
    public int Pid => _transport.Pid;

    /// <summary>asyncio's Process.stdin: the writer of the child's stdin when started with <see cref="Redirect.Pipe"/>,
    /// else null. <see cref="AioStreamWriter.DrainAsync"/> waits while the child is not reading.</summary>
    public AioStreamWriter? Stdin { get; }

    /// <summary>asyncio's Process.stdout: the reader of the child's stdout when <see cref="Redirect.Pipe"/>, else null.</summary>
    public AioStreamReader? Stdout { get; }

    /// <summary>asyncio's Process.stderr: the reader of the child's stderr when <see cref="Redirect.Pipe"/>, else null
    /// (also null for <see cref="Redirect.Stdout"/>: stderr then arrives on <see cref="Stdout"/>).</summary>
    public AioStreamReader? Stderr { get; }

    /// <summary>asyncio's Process.returncode: null until the exit has been observed; the exit code, or <c>-N</c> when
    /// the child was killed by signal N (read from the real wait status, so exit code 137 stays 137 and SIGKILL is -9).</summary>
    public int? ReturnCode => _transport.ReturnCode;

    /// <summary>asyncio's Process.wait(): waits until the child has exited and its output pipes are closed, and returns
    /// the return code (at once when already known).</summary>
    /// <param name="cancellationToken">Cancels the wait; the child keeps running and can be waited for again.</param>
    /// <remarks>As in asyncio, waiting while a <see cref="Redirect.Pipe"/> output is never read can deadlock: the
    /// reader stops reading above twice its limit and the child blocks writing. Read the pipes, or use
    /// <see cref="CommunicateAsync"/>. Cancelling the awaiting task cancels only the wait (asyncio P8).</remarks>
    public Task<int> WaitAsync(CancellationToken cancellationToken = default) => _transport.WaitAsync(cancellationToken);

    /// <summary>asyncio's Process.communicate(input): writes <paramref name="input"/> to stdin and closes it (also
    /// without input, as Python 3.12+), reads stdout and stderr concurrently to end of file, waits for the exit and
    /// returns what was read: <c>(stdout, stderr)</c>, each null where not <see cref="Redirect.Pipe"/>. Output of any
    /// size on both pipes at once never deadlocks.</summary>
    /// <param name="input">Bytes for the child's stdin (ignored when stdin is not piped). A child that exits without
    /// reading it (broken pipe) is not an error, as in asyncio.</param>
    /// <param name="cancellationToken">Cancels the call; the child keeps running.</param>
    /// <exception cref="InvalidOperationException">A call is already running or has already returned.</exception>
    /// <remarks>Cancelling the awaiting task does not kill the child and loses nothing: the output read so far is kept
    /// and a later call resumes and returns all of it (the input is not sent twice).</remarks>
    public async Task<(byte[]? Stdout, byte[]? Stderr)> CommunicateAsync(byte[]? input = null, CancellationToken cancellationToken = default)
    {
        if (_communicate != 0) throw Errors.CommunicateAgain(this);
        var loop = AioEventLoop.RunningOrThrow(nameof(CommunicateAsync));
        _communicate = 1;
        try
        {
            if (!_inputSent)
            {
                _inputSent = true;
                if (Stdin != null)
                {
                    // Write never blocks (the transport buffers) and Close sends the buffer before closing, so there
                    // is nothing to drain here; a broken pipe surfaces on the writer, where asyncio ignores it too.
                    if (input is { Length: > 0 } && !Stdin.IsClosing) Stdin.Write(input);
                    Stdin.Close();
                }
            }
            AioTask? outPump = Stdout != null ? loop.CreateTask(() => PumpAsync(Stdout, _stdoutChunks ??= new(), cancellationToken)) : null;
            AioTask? errPump = Stderr != null ? loop.CreateTask(() => PumpAsync(Stderr, _stderrChunks ??= new(), cancellationToken)) : null;
            try
            {
                if (outPump != null) await outPump;
                if (errPump != null) await errPump;
            }
            catch
            {
                // Cancelled (or failed) half-way: stop the other pump too; what both read stays in the chunk lists.
                outPump?.Cancel();
                errPump?.Cancel();
                throw;
            }
            await WaitAsync(cancellationToken);
            _communicate = 2;
            return (Stdout != null ? Concat(_stdoutChunks!) : null, Stderr != null ? Concat(_stderrChunks!) : null);
        }
        finally
        {
            if (_communicate == 1) _communicate = 0;
        }
    }

    /// <summary>Bytes <see cref="CommunicateAsync"/> has taken from the pipes so far (tests).</summary>
    internal long CommunicatedBytes =>
        (_stdoutChunks?.Sum(static c => (long)c.Length) ?? 0) + (_stderrChunks?.Sum(static c => (long)c.Length) ?? 0);

    private static async Task PumpAsync(AioStreamReader reader, List<byte[]> chunks, CancellationToken cancellationToken)
    {
        // Chunks leave the reader as they come (so it never pauses the pipe for good) and go to a list owned by the
        // process, so a cancelled read loses nothing: the reader keeps what it still holds, the list what was taken.
        while (true)
        {
            var chunk = await reader.ReadAsync(int.MaxValue, cancellationToken);
            if (chunk.Length == 0) return;
            chunks.Add(chunk);
        }
    }

    private static byte[] Concat(List<byte[]> chunks)
    {
        if (chunks.Count == 1) return chunks[0];
        var all = new byte[chunks.Sum(static c => (long)c.Length)];
        int at = 0;
        foreach (var c in chunks) { c.CopyTo(all, at); at += c.Length; }
        return all;
    }

    /// <summary>asyncio's Process.send_signal(signal): sends signal number <paramref name="signal"/> to the child.</summary>
    /// <exception cref="InvalidOperationException">The child has exited and been reaped (asyncio's ProcessLookupError):
    /// its pid may already belong to another process.</exception>
    /// <exception cref="ArgumentException">Not a valid signal number.</exception>
    public void SendSignal(int signal) => _transport.Signal(signal, this);

    /// <summary>asyncio's Process.terminate(): sends SIGTERM; the return code becomes -15 unless the child handles it.</summary>
    /// <exception cref="InvalidOperationException">The child has exited and been reaped.</exception>
    public void Terminate() => SendSignal(15);

    /// <summary>asyncio's Process.kill(): sends SIGKILL; the return code becomes -9.</summary>
    /// <exception cref="InvalidOperationException">The child has exited and been reaped.</exception>
    public void Kill() => SendSignal(9);

    /// <summary>asyncio's repr: <c>&lt;AioProcess 1234 'python3' [running]&gt;</c>, or the return code once known.</summary>
    public override string ToString() => _transport.ToString();
}
