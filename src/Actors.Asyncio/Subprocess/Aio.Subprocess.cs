using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

public static partial class Aio
{
    /// <summary>asyncio.create_subprocess_exec(program, *args, stdin=, stdout=, stderr=, cwd=, env=, limit=): starts
    /// <paramref name="program"/> with <paramref name="args"/> directly (no shell, so no quoting issues) and returns
    /// the running <see cref="AioProcess"/>.</summary>
    /// <param name="program">A name looked up in PATH (the PATH of <paramref name="env"/> when given), or a path.</param>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="stdin">Where the child's stdin comes from: <see cref="Redirect.Inherit"/> (default),
    /// <see cref="Redirect.Pipe"/> (<see cref="AioProcess.Stdin"/>) or <see cref="Redirect.DevNull"/>.</param>
    /// <param name="stdout">Where its stdout goes: Inherit, Pipe (<see cref="AioProcess.Stdout"/>) or DevNull.</param>
    /// <param name="stderr">Where its stderr goes: Inherit, Pipe, DevNull, or <see cref="Redirect.Stdout"/> (merged
    /// into stdout).</param>
    /// <param name="cwd">The child's working directory (default: this process's).</param>
    /// <param name="env">The child's whole environment (default: this process's, as .NET sees it).</param>
    /// <param name="limit">The limit of the stdout/stderr readers (default <c>actors.asyncio.streams.limit</c>, 64 KiB).</param>
    /// <returns>The started process; it starts synchronously (posix_spawn), so the task is already complete unless
    /// starting failed.</returns>
    /// <exception cref="ArgumentException"><see cref="Redirect.Stdout"/> given for stdin or stdout, or an empty program.</exception>
    /// <exception cref="FileNotFoundException">The program does not exist (named in the message); from the await.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="cwd"/> does not exist; from the await.</exception>
    /// <exception cref="UnauthorizedAccessException">The program is not executable; from the await.</exception>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static Task<AioProcess> CreateSubprocessExec(string program, IEnumerable<string>? args = null,
        Redirect stdin = Redirect.Inherit, Redirect stdout = Redirect.Inherit, Redirect stderr = Redirect.Inherit,
        string? cwd = null, IReadOnlyDictionary<string, string>? env = null, int? limit = null)
    {
        if (string.IsNullOrEmpty(program)) throw Errors.EmptyProgram(nameof(program));
        var argv = new List<string> { program };
        if (args != null)
            foreach (var a in args) argv.Add(a ?? throw new ArgumentNullException(nameof(args), "An argument is null: pass an empty string for an empty argument."));
        return Start(nameof(CreateSubprocessExec), program, argv, stdin, stdout, stderr, cwd, env, limit);
    }

    /// <summary>asyncio.create_subprocess_shell(cmd, …): runs <paramref name="command"/> through <c>/bin/sh -c</c>, so
    /// pipelines, redirections and globbing work. Otherwise as <see cref="CreateSubprocessExec"/>.</summary>
    /// <param name="command">The shell command line.</param>
    /// <param name="stdin">As for <see cref="CreateSubprocessExec"/>.</param>
    /// <param name="stdout">As for <see cref="CreateSubprocessExec"/>.</param>
    /// <param name="stderr">As for <see cref="CreateSubprocessExec"/>.</param>
    /// <param name="cwd">As for <see cref="CreateSubprocessExec"/>.</param>
    /// <param name="env">As for <see cref="CreateSubprocessExec"/>.</param>
    /// <param name="limit">As for <see cref="CreateSubprocessExec"/>.</param>
    /// <remarks><b>Unsafe with untrusted input:</b> the shell interprets every character of <paramref name="command"/>,
    /// so text from users must never be pasted into it (shell injection); pass such values as separate arguments to
    /// <see cref="CreateSubprocessExec"/> instead. A command the shell cannot find is not an exception: the shell
    /// exits with 127, as in Python.</remarks>
    /// <exception cref="ArgumentException"><see cref="Redirect.Stdout"/> given for stdin or stdout, or an empty command.</exception>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static Task<AioProcess> CreateSubprocessShell(string command,
        Redirect stdin = Redirect.Inherit, Redirect stdout = Redirect.Inherit, Redirect stderr = Redirect.Inherit,
        string? cwd = null, IReadOnlyDictionary<string, string>? env = null, int? limit = null)
    {
        if (string.IsNullOrEmpty(command)) throw Errors.EmptyProgram(nameof(command));
        return Start(nameof(CreateSubprocessShell), "/bin/sh", ["/bin/sh", "-c", command], stdin, stdout, stderr, cwd, env, limit);
    }

    private static Task<AioProcess> Start(string member, string program, List<string> argv, Redirect stdin, Redirect stdout,
        Redirect stderr, string? cwd, IReadOnlyDictionary<string, string>? env, int? limit)
    {
        if (stdin == Redirect.Stdout || !Enum.IsDefined(stdin)) throw Errors.RedirectNotAllowed(nameof(stdin), stdin);
        if (stdout == Redirect.Stdout || !Enum.IsDefined(stdout)) throw Errors.RedirectNotAllowed(nameof(stdout), stdout);
        if (!Enum.IsDefined(stderr)) throw Errors.RedirectNotAllowed(nameof(stderr), stderr);
        if (limit is <= 0) throw Errors.StreamLimitNotPositive(limit.Value, nameof(limit));
        var loop = AioEventLoop.RunningOrThrow(member);
        if (OperatingSystem.IsWindows()) throw Errors.SubprocessNeedsPosix(member);
        var settings = SubprocessSettings.For(loop);
        int readerLimit = limit ?? StreamSettings.For(loop).Limit;

        SpawnedChild child;
        try
        {
            string path = ChildSpawner.Resolve(program, env);
            ChildReaper.EnsureStarted();
            child = ChildSpawner.Spawn(program, path, argv, env, cwd, stdin, stdout, stderr, settings.PipeSize);
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            return Task.FromException<AioProcess>(e);
        }

        var transport = new SubprocessTransport(loop, child.Pid, program == "/bin/sh" && argv.Count == 3 ? argv[2] : program);
        PipeWriteTransport? inPipe = null;
        PipeReadTransport? outPipe = null, errPipe = null;
        AioStreamWriter? writer = null;
        AioStreamReader? outReader = null, errReader = null;
        if (child.Stdin != null)
        {
            inPipe = new PipeWriteTransport(loop, child.Stdin, _ => transport.OnPipeClosed());
            writer = new AioStreamWriter(inPipe, null, loop);
            inPipe.SetWriter(writer);
        }
        if (child.Stdout != null)
        {
            outReader = new AioStreamReader(loop, readerLimit);
            outPipe = new PipeReadTransport(loop, child.Stdout, outReader, settings.ReadBufferSize, "stdout", _ => transport.OnPipeClosed());
        }
        if (child.Stderr != null)
        {
            errReader = new AioStreamReader(loop, readerLimit);
            errPipe = new PipeReadTransport(loop, child.Stderr, errReader, settings.ReadBufferSize, "stderr", _ => transport.OnPipeClosed());
        }
        transport.Start(inPipe, outPipe, errPipe);
        return Task.FromResult(new AioProcess(transport, writer, outReader, errReader));
    }
}
