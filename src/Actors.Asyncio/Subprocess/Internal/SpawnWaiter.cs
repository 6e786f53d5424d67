namespace Actors.Asyncio.Internal;

/// <summary>
/// Runs one posix_spawn on the thread pool for a task of the loop. posix_spawn suspends its caller until the child
/// has exec'd (vfork), which on a busy machine takes milliseconds: on the loop thread that would stall every task, and
/// concurrent starts would queue behind each other instead of overlapping (as System.Diagnostics.Process's do).
/// </summary>
/// <remarks>A child whose starter was cancelled meanwhile is killed and reaped: nobody holds it any more (asyncio
/// closes the transport, which kills it).</remarks>
internal sealed class SpawnWaiter(AioEventLoop loop, Func<SpawnedChild> spawn) : LoopWaiter<SpawnedChild>(loop)
{
    public Task<SpawnedChild> Start()
    {
        Attach();
        if (!IsPending) return Task;     // a cancellation the task owed: start nothing
        // The child's start is real work the loop waits for: a virtual clock must not jump past it.
        Loop.BeginExternalWork();
        ThreadPool.UnsafeQueueUserWorkItem(static w => w.Run(), this, preferLocal: false);
        return Task;
    }

    private void Run()
    {
        try
        {
            SpawnedChild child;
            try { child = spawn(); }
            catch (Exception e)
            {
                Fail(e);
                return;
            }
            if (!Wake(child)) Abandon(child);
        }
        finally { Loop.EndExternalWork(); }
    }

    protected override void OnDeliveryRefused(SpawnedChild child) => Abandon(child);

    private static void Abandon(SpawnedChild child)
    {
        SubprocessNative.kill(child.Pid, 9);
        child.Stdin?.Dispose();
        child.Stdout?.Dispose();
        child.Stderr?.Dispose();
        ChildReaper.Track(new Orphan(child.Pid));
    }

    private sealed class Orphan(int pid) : IReapableChild
    {
        public int Pid => pid;
        public object Gate { get; } = new();
        public bool IsReaped { get; set; }
        public void OnReaped(int returnCode) { }
    }
}
