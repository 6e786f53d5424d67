namespace Actors.Asyncio.Examples;

/// <summary>The guide's §4.3 (asyncio.create_subprocess_exec): runs a child process that sleeps 1 s and prints a line,
/// collects its output with <c>CommunicateAsync</c> and prints its exit code.</summary>
public static class SubprocessExample
{
    /// <summary>The guide's <c>run_command()</c>. The guide runs <c>python -c "..."</c> as its "more cross-platform"
    /// choice; a .NET machine is not sure to have Python, so the default child is the system shell doing the same.</summary>
    /// <param name="output">Where the example prints.</param>
    /// <param name="program">The program to run; null for <c>/bin/sh</c> (subprocesses need a POSIX system).</param>
    /// <param name="arguments">Its arguments; null for the default command.</param>
    /// <returns>The child's exit code, or null when it could not be started.</returns>
    public static async Task<int?> RunAsync(TextWriter output, string? program = null, IReadOnlyList<string>? arguments = null)
    {
        if (program is null)
        {
            program = "/bin/sh";
            arguments = ["-c", "sleep 1; echo 'output from the subprocess'"];
        }
        try
        {
            var process = await Aio.CreateSubprocessExec(program, arguments ?? [],
                stdout: Redirect.Pipe, stderr: Redirect.Pipe);

            // Reads stdout and stderr concurrently until EOF and waits for the exit: never deadlocks on full pipes.
            var (stdout, stderr) = await process.CommunicateAsync();

            if (stdout is { Length: > 0 })
                output.WriteLine($"[stdout]:\n{System.Text.Encoding.UTF8.GetString(stdout).TrimEnd()}");
            if (stderr is { Length: > 0 })
                output.WriteLine($"[stderr]:\n{System.Text.Encoding.UTF8.GetString(stderr).TrimEnd()}");

            output.WriteLine($"subprocess exit code: {process.ReturnCode}");
            return process.ReturnCode;
        }
        catch (FileNotFoundException)
        {
            output.WriteLine("error: command not found. Make sure it is on your PATH, or give its full path.");
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)   // never swallow a cancellation
        {
            output.WriteLine($"error while running the command: {e.Message}");
            return null;
        }
    }
}
