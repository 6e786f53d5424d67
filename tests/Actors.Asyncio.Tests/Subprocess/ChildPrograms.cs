namespace Actors.Asyncio.Tests.Subprocess;

/// <summary>Programs the subprocess specs run. The interpreter is resolved once: a version-manager shim in PATH (pyenv)
/// costs most of a second per start.</summary>
internal static class ChildPrograms
{
    private static readonly Lazy<string> s_python = new(() =>
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3", ["-c", "import sys; print(sys.executable)"])
        {
            RedirectStandardOutput = true,
        })!;
        string exe = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return exe.Length > 0 ? exe : "python3";
    });

    /// <summary>The real python3 executable.</summary>
    public static string Python => s_python.Value;

    /// <summary>True while <paramref name="pid"/> exists (running or a zombie not yet reaped).</summary>
    public static bool Exists(int pid) => Directory.Exists($"/proc/{pid}");
}
