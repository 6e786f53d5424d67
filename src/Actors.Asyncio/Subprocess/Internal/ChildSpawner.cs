using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Actors.Asyncio.Internal.SubprocessNative;

namespace Actors.Asyncio.Internal;

/// <summary>The parent's ends of a started child's pipes (null where not <see cref="Redirect.Pipe"/>).</summary>
internal readonly record struct SpawnedChild(int Pid, SafeFileHandle? Stdin, SafeFileHandle? Stdout, SafeFileHandle? Stderr);

/// <summary>Starts a child with posix_spawn (glibc runs it as clone(CLONE_VFORK)+exec, the cheapest start there is) and
/// reports exec failures synchronously, as Python's _posixsubprocess does.</summary>
internal static class ChildSpawner
{
    private static readonly IntPtr DevNull = Marshal.StringToCoTaskMemUTF8("/dev/null");

    /// <summary>Finds <paramref name="program"/> as execvp would: a name with a slash is used as given (relative to the
    /// child's cwd), a bare name is looked up in PATH (the child's PATH when an environment is given, as Python does).</summary>
    /// <exception cref="FileNotFoundException">A bare name found in no PATH directory.</exception>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static string Resolve(string program, IReadOnlyDictionary<string, string>? env)
    {
        if (program.Contains('/')) return program;
        string? path = null;
        if (env != null) env.TryGetValue("PATH", out path);
        else path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path)) path = "/bin:/usr/bin";
        foreach (var dir in path.Split(':'))
        {
            var candidate = Path.Combine(dir.Length == 0 ? "." : dir, program);
            try
            {
                if (!File.Exists(candidate)) continue;
                if ((File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0) continue;
                return candidate;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        throw Errors.ProgramNotFound(program, path);
    }

    /// <summary>Starts <paramref name="path"/> with <paramref name="argv"/> (argv[0] included).</summary>
    /// <exception cref="FileNotFoundException">The program does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The program is not executable.</exception>
    /// <exception cref="Win32Exception">Any other start failure (errno).</exception>
    public static SpawnedChild Spawn(string program, string path, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? env,
        string? cwd, Redirect stdin, Redirect stdout, Redirect stderr, int pipeSize)
    {
        var fds = new List<int>(6);            // every fd we opened, closed on failure
        int inR = -1, inW = -1, outR = -1, outW = -1, errR = -1, errW = -1;
        IntPtr actions = Marshal.AllocHGlobal(OpaqueSize), attr = Marshal.AllocHGlobal(OpaqueSize), sigs = Marshal.AllocHGlobal(OpaqueSize);
        var strings = new List<IntPtr>(argv.Count + 64);
        bool actionsInit = false, attrInit = false, ok = false;
        try
        {
            if (stdin == Redirect.Pipe) (inR, inW) = Pipe(fds, 0);
            if (stdout == Redirect.Pipe) (outR, outW) = Pipe(fds, pipeSize);
            if (stderr == Redirect.Pipe) (errR, errW) = Pipe(fds, pipeSize);

            Check(posix_spawn_file_actions_init(actions)); actionsInit = true;
            if (cwd != null) Check(posix_spawn_file_actions_addchdir_np(actions, Utf8(strings, cwd)));
            AddStdio(actions, 0, stdin, inR, O_RDONLY);
            AddStdio(actions, 1, stdout, outW, O_WRONLY);
            if (stderr == Redirect.Stdout) Check(posix_spawn_file_actions_adddup2(actions, 1, 2));
            else AddStdio(actions, 2, stderr, errW, O_WRONLY);

            // Default dispositions for every signal in the child: the runtime ignores SIGPIPE, and exec keeps ignored
            // signals ignored, so without this `yes | head` in the child would never end (Python's restore_signals).
            Check(posix_spawnattr_init(attr)); attrInit = true;
            Check(posix_spawnattr_setflags(attr, (short)(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)));
            sigfillset(sigs);
            Check(posix_spawnattr_setsigdefault(attr, sigs));
            sigemptyset(sigs);
            Check(posix_spawnattr_setsigmask(attr, sigs));

            var argvp = new IntPtr[argv.Count + 1];
            for (int i = 0; i < argv.Count; i++) argvp[i] = Utf8(strings, argv[i]);
            var envp = BuildEnv(strings, env);

            int rc = posix_spawn(out int pid, Utf8(strings, path), actions, attr, argvp, envp);
            if (rc != 0) throw SpawnError(rc, program, cwd);

            // The child holds its own copies now; ours must go so EOF reaches whoever reads.
            CloseFd(fds, inR); CloseFd(fds, outW); CloseFd(fds, errW);
            ok = true;
            return new SpawnedChild(pid,
                inW >= 0 ? new SafeFileHandle(inW, ownsHandle: true) : null,
                outR >= 0 ? new SafeFileHandle(outR, ownsHandle: true) : null,
                errR >= 0 ? new SafeFileHandle(errR, ownsHandle: true) : null);
        }
        finally
        {
            if (!ok) foreach (var fd in fds) close(fd);
            if (actionsInit) posix_spawn_file_actions_destroy(actions);
            if (attrInit) posix_spawnattr_destroy(attr);
            Marshal.FreeHGlobal(actions); Marshal.FreeHGlobal(attr); Marshal.FreeHGlobal(sigs);
            foreach (var s in strings) Marshal.FreeCoTaskMem(s);
        }
    }

    private static void AddStdio(IntPtr actions, int target, Redirect how, int pipeEnd, int mode)
    {
        switch (how)
        {
            case Redirect.Pipe: Check(posix_spawn_file_actions_adddup2(actions, pipeEnd, target)); break;
            case Redirect.DevNull: Check(posix_spawn_file_actions_addopen(actions, target, DevNull, mode, 0)); break;
        }
    }

    private static (int Read, int Write) Pipe(List<int> fds, int size)
    {
        var p = new int[2];
        if (pipe2(p, O_CLOEXEC) != 0) throw new Win32Exception(Marshal.GetLastPInvokeError());
        fds.Add(p[0]); fds.Add(p[1]);
        // A bigger pipe (Linux: up to fs.pipe-max-size, 1 MiB by default) halves the context switches of bulk output;
        // failing to grow it only costs speed.
        if (size > 0) fcntl(p[1], F_SETPIPE_SZ, size);
        return (p[0], p[1]);
    }

    private static void CloseFd(List<int> fds, int fd)
    {
        if (fd < 0) return;
        close(fd);
        fds.Remove(fd);
    }

    private static IntPtr[] BuildEnv(List<IntPtr> strings, IReadOnlyDictionary<string, string>? env)
    {
        // Without env= the child gets this process's environment as .NET sees it (Environment.SetEnvironmentVariable
        // does not reach libc's environ), as System.Diagnostics.Process does.
        var list = new List<IntPtr>(64);
        if (env != null)
            foreach (var (k, v) in env) list.Add(Utf8(strings, k + "=" + v));
        else
            foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
                list.Add(Utf8(strings, e.Key + "=" + e.Value));
        list.Add(IntPtr.Zero);
        return list.ToArray();
    }

    private static IntPtr Utf8(List<IntPtr> strings, string s)
    {
        var p = Marshal.StringToCoTaskMemUTF8(s);
        strings.Add(p);
        return p;
    }

    private static void Check(int rc)
    {
        if (rc != 0) throw new Win32Exception(rc);
    }

    private static Exception SpawnError(int errno, string program, string? cwd) => errno switch
    {
        2 or 20 when cwd != null && !Directory.Exists(cwd) => Errors.CwdNotFound(program, cwd),
        2 or 20 => Errors.ProgramNotFound(program, null),
        13 => Errors.ProgramNotExecutable(program),
        _ => new Win32Exception(errno, Errors.SpawnFailed(program, new Win32Exception(errno).Message)),
    };
}
