using System.Runtime.InteropServices;

namespace Actors.Asyncio.Internal;

/// <summary>
/// asyncio's BaseSubprocessTransport: one started child, its pipes and its exit, as the loop sees them.
/// </summary>
/// <remarks>
/// The exit comes from the shared <see cref="ChildReaper"/> (off the loop thread) and is posted to the loop. As in
/// asyncio, <see cref="WaitAsync"/> resolves once the child has exited <em>and</em> every output pipe has reached end of
/// file (P5): a grandchild still holding stdout keeps it waiting. While the child runs it counts as external work of
/// the loop, so a virtual clock never jumps past a running child. If the loop closes while the child still runs, the
/// child is killed and the loop's exception handler is told (asyncio P10; never silently).
/// </remarks>
internal sealed class SubprocessTransport : IReapableChild, ILoopWork
{
    private readonly Action<StreamWaiter> _onWaiterCancelled;
    private readonly Action _onLoopClosing;
    private List<StreamWaiter>? _exitWaiters;
    private PipeReadTransport? _stdout, _stderr;
    private int _openPipes;
    private bool _finished;
    private int _returnCode;

    public SubprocessTransport(AioEventLoop loop, int pid, string program)
    {
        Loop = loop;
        Pid = pid;
        Program = program;
        _onWaiterCancelled = w => _exitWaiters?.Remove(w);
        _onLoopClosing = OnLoopClosing;
    }

    public AioEventLoop Loop { get; }

    public int Pid { get; }

    public string Program { get; }

    public object Gate { get; } = new();

    public bool IsReaped { get; set; }

    /// <summary>Python's returncode: null until the loop has seen the exit; -N for signal N (loop thread).</summary>
    public int? ReturnCode { get; private set; }

    /// <summary>Exited and every pipe closed (asyncio: the transport's connection_lost).</summary>
    public bool IsFinished => _finished;

    public PipeWriteTransport? StdinPipe { get; private set; }

    /// <summary>Wires the pipes and starts watching the child. Loop thread, right after the spawn.</summary>
    public void Start(PipeWriteTransport? stdin, PipeReadTransport? stdout, PipeReadTransport? stderr)
    {
        StdinPipe = stdin;
        _stdout = stdout;
        _stderr = stderr;
        _openPipes = (stdin != null ? 1 : 0) + (stdout != null ? 1 : 0) + (stderr != null ? 1 : 0);
        Loop.Closing += _onLoopClosing;
        Loop.BeginExternalWork();      // released when the exit is seen: a virtual clock waits for the child
        stdout?.Start();
        stderr?.Start();
        ChildReaper.Track(this);
    }

    public void OnPipeClosed()
    {
        _openPipes--;
        TryFinish();
    }

    /// <summary>Reaper thread: post the exit to the loop. Dropped if the loop has stopped (it killed the child).</summary>
    public void OnReaped(int returnCode)
    {
        Loop.PostThreadsafe(new ReadyItem(this, returnCode, null));
        Loop.EndExternalWork();
    }

    void ILoopWork.Execute(object? a, object? b)
    {
        _returnCode = (int)a!;
        ReturnCode = _returnCode;
        // Nobody reads the child's stdin any more (unless a grandchild inherited it, which asyncio ignores too).
        StdinPipe?.OnPeerGone();
        TryFinish();
    }

    public Task<int> WaitAsync(CancellationToken cancellationToken)
    {
        if (_finished) return Task.FromResult(_returnCode);
        cancellationToken.ThrowIfCancellationRequested();
        var w = new StreamWaiter(Loop, _onWaiterCancelled);
        (_exitWaiters ??= new List<StreamWaiter>(1)).Add(w);
        w.Start(cancellationToken);
        return AwaitExit(w);
    }

    private async Task<int> AwaitExit(StreamWaiter w)
    {
        try { await w.Task; }
        finally { w.Unregister(); }
        return _returnCode;
    }

    /// <summary>os.kill(pid, sig) unless the child has been reaped: its pid may then belong to someone else.</summary>
    /// <exception cref="InvalidOperationException">The child has been reaped (asyncio's ProcessLookupError).</exception>
    public void Signal(int signal, object process)
    {
        lock (Gate)
        {
            if (IsReaped) throw Errors.ProcessGone(process);
            if (SubprocessNative.kill(Pid, signal) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == SubprocessNative.ESRCH) throw Errors.ProcessGone(process);
                throw new ArgumentException(Errors.BadSignal(process, signal, new System.ComponentModel.Win32Exception(errno).Message), nameof(signal));
            }
        }
    }

    private void TryFinish()
    {
        if (_finished || ReturnCode == null || _openPipes > 0) return;
        _finished = true;
        Loop.Closing -= _onLoopClosing;
        if (_exitWaiters is not { } waiters) return;
        _exitWaiters = null;
        foreach (var w in waiters) w.Wake(true);
    }

    private void OnLoopClosing()
    {
        if (_finished) return;
        bool running;
        lock (Gate)
        {
            running = !IsReaped;
            if (running) SubprocessNative.kill(Pid, 9);
        }
        StdinPipe?.Abort();
        _stdout?.Close();
        _stderr?.Close();
        if (running)
            Loop.CallExceptionHandler(new Dictionary<string, object?>
            {
                ["message"] = Errors.ChildRunningAtClose(ToString(), Loop),
                ["process"] = this,
            });
    }

    public override string ToString() =>
        $"<AioProcess {Pid} '{Program}' [{(ReturnCode is { } rc ? "returncode=" + rc : IsReaped ? "exited" : "running")}]>";
}
