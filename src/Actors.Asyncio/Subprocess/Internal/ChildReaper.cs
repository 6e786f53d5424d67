using System.Runtime.InteropServices;

namespace Actors.Asyncio.Internal;

/// <summary>A child the reaper watches: told once, from the reaper's thread, how it ended.</summary>
internal interface IReapableChild
{
    int Pid { get; }

    /// <summary>Guards waitpid against kill: a reaped pid may be reused at once, so a signal must never race the reap.</summary>
    object Gate { get; }

    /// <summary>Set under <see cref="Gate"/> when the child has been reaped.</summary>
    bool IsReaped { get; set; }

    /// <summary>The child has been reaped with Python's return code (-N for signal N). Called outside the gate.</summary>
    void OnReaped(int returnCode);
}

/// <summary>
/// The one shared reaper of every child of every loop: no thread per child and nothing on the loop thread. .NET reports
/// SIGCHLD through <see cref="PosixSignalRegistration"/> on its signal-dispatch thread; there we <c>waitpid(pid, WNOHANG)</c>
/// each child we started (never <c>waitpid(-1)</c>, which would steal System.Diagnostics.Process's children). This is
/// asyncio's old SafeChildWatcher strategy; signals coalesce, hence the sweep over all children.
/// </summary>
internal static class ChildReaper
{
    private static readonly object s_gate = new();
    private static readonly Dictionary<int, IReapableChild> s_children = new();
    private static IReapableChild[]? s_snapshot;
    private static PosixSignalRegistration? s_registration;

    /// <summary>Children started and not yet reaped.</summary>
    public static int Count { get { lock (s_gate) return s_children.Count; } }

    /// <summary>Makes sure SIGCHLD is observed before a child can exit (call before spawning).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void EnsureStarted()
    {
        if (Volatile.Read(ref s_registration) != null) return;
        lock (s_gate)
            s_registration ??= PosixSignalRegistration.Create(PosixSignal.SIGCHLD, OnSigChld);
    }

    /// <summary>Watches <paramref name="child"/> (just spawned). Checks once at once: it may have exited before it was
    /// tracked, and its SIGCHLD found nothing to reap.</summary>
    public static void Track(IReapableChild child)
    {
        lock (s_gate)
        {
            s_children[child.Pid] = child;
            s_snapshot = null;
        }
        TryReap(child);
    }

    private static void OnSigChld(PosixSignalContext context)
    {
        IReapableChild[] children;
        lock (s_gate)
        {
            children = s_snapshot ??= s_children.Values.ToArray();
        }
        foreach (var child in children) TryReap(child);
    }

    private static void TryReap(IReapableChild child)
    {
        int returnCode;
        lock (child.Gate)
        {
            if (child.IsReaped) return;
            int r;
            int status;
            do r = SubprocessNative.waitpid(child.Pid, out status, SubprocessNative.WNOHANG);
            while (r < 0 && Marshal.GetLastPInvokeError() == SubprocessNative.EINTR);
            if (r == 0) return;                       // still running
            // ECHILD: someone else reaped it (SIGCHLD ignored at start-up makes the runtime reap every child); like
            // Python's "Unknown child process pid %d, will report returncode 255".
            returnCode = r == child.Pid ? SubprocessNative.ToReturnCode(status) : 255;
            child.IsReaped = true;
        }
        lock (s_gate)
        {
            s_children.Remove(child.Pid);
            s_snapshot = null;
        }
        child.OnReaped(returnCode);
    }
}
