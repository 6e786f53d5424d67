using System.Runtime.InteropServices;

namespace Actors.Asyncio.Internal;

// libc entry points for starting and reaping children ourselves. System.Diagnostics.Process cannot do what asyncio's
// subprocess does: it folds "killed by signal N" into exit code 128+N (asyncio reports -N), has no DEVNULL and no
// stderr=STDOUT, and reaps the child itself so the real wait status is gone. Signatures are blittable (strings are
// marshalled by hand), so no unsafe code or source-generated marshalling is needed.
internal static class SubprocessNative
{
    private const string Libc = "libc";

    public const int WNOHANG = 1;
    public const int ECHILD = 10;
    public const int EINTR = 4;
    public const int ESRCH = 3;
    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2;
    public const int O_CLOEXEC = 0x80000;
    public const int F_SETPIPE_SZ = 1031;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;

    // glibc's opaque structs are 80 and 336 bytes on 64-bit Linux, musl's smaller: reserve more than either.
    public const int OpaqueSize = 1024;

    [DllImport(Libc)] public static extern int posix_spawn(out int pid, IntPtr path, IntPtr fileActions, IntPtr attr, IntPtr[] argv, IntPtr[] envp);
    [DllImport(Libc)] public static extern int posix_spawn_file_actions_init(IntPtr fileActions);
    [DllImport(Libc)] public static extern int posix_spawn_file_actions_destroy(IntPtr fileActions);
    [DllImport(Libc)] public static extern int posix_spawn_file_actions_adddup2(IntPtr fileActions, int fd, int newFd);
    [DllImport(Libc)] public static extern int posix_spawn_file_actions_addopen(IntPtr fileActions, int fd, IntPtr path, int oflag, int mode);
    [DllImport(Libc)] public static extern int posix_spawn_file_actions_addchdir_np(IntPtr fileActions, IntPtr path);
    [DllImport(Libc)] public static extern int posix_spawnattr_init(IntPtr attr);
    [DllImport(Libc)] public static extern int posix_spawnattr_destroy(IntPtr attr);
    [DllImport(Libc)] public static extern int posix_spawnattr_setflags(IntPtr attr, short flags);
    [DllImport(Libc)] public static extern int posix_spawnattr_setsigmask(IntPtr attr, IntPtr sigset);
    [DllImport(Libc)] public static extern int posix_spawnattr_setsigdefault(IntPtr attr, IntPtr sigset);
    [DllImport(Libc)] public static extern int sigemptyset(IntPtr set);
    [DllImport(Libc)] public static extern int sigfillset(IntPtr set);
    [DllImport(Libc, SetLastError = true)] public static extern int pipe2(int[] fds, int flags);
    [DllImport(Libc, SetLastError = true)] public static extern int fcntl(int fd, int cmd, int arg);
    [DllImport(Libc, SetLastError = true)] public static extern int close(int fd);
    [DllImport(Libc, SetLastError = true)] public static extern int kill(int pid, int sig);
    [DllImport(Libc, SetLastError = true)] public static extern int waitpid(int pid, out int status, int options);

    /// <summary>Decodes a wait status as Python's <c>os.waitstatus_to_exitcode</c>: the exit code, or -N when killed by
    /// signal N. Read from the status word itself, so exit code 137 and SIGKILL stay apart.</summary>
    public static int ToReturnCode(int status)
    {
        int termSig = status & 0x7f;
        if (termSig == 0) return (status >> 8) & 0xff;   // WIFEXITED: WEXITSTATUS
        return -termSig;                                  // WIFSIGNALED: -WTERMSIG
    }
}
