namespace Actors.Asyncio.Internal;

/// <summary>Every exception message of the library in one place: one sentence naming the object, its state and the fix.</summary>
internal static class Errors
{
    public static InvalidOperationException NoRunningLoop(string member) =>
        new($"{member} needs a running event loop, but no event loop is running on this thread: call it from inside a task (Aio.Run, loop.RunAsync or loop.CreateTask), or use loop.CallSoonThreadsafe / loop.RunCoroutineThreadsafe from other threads.");

    public static InvalidOperationException RunInsideLoop() =>
        new("Aio.Run() cannot be called from a running event loop: await the coroutine instead, or use Aio.CreateTask to run it concurrently.");

    public static InvalidOperationException RunUntilCompleteOnLoopThread(AioEventLoop loop) =>
        new($"Cannot block on {loop}: RunUntilComplete was called from the loop's own thread, which would deadlock; await the coroutine instead.");

    public static InvalidOperationException LoopClosed(AioEventLoop loop) =>
        new($"Cannot schedule work on {loop}: the event loop is closed; create a new loop with AioEventLoop.Create.");

    public static InvalidStateException ResultNotSet(object future) =>
        new($"Cannot read the result of {future}: the result is not set yet; await it or check IsDone first.");

    public static InvalidStateException ExceptionNotSet(object future) =>
        new($"Cannot read the exception of {future}: the future is not done yet; await it or check IsDone first.");

    public static InvalidStateException AlreadyDone(object future) =>
        new($"Cannot complete {future}: it is already done; check IsDone before setting a result, exception or cancellation.");

    public static InvalidOperationException TaskSetResult(object task) =>
        new($"Cannot set the result of {task}: a task's result comes from its coroutine; use a future (loop.CreateFuture) to complete by hand.");

    public static InvalidOperationException TaskAwaitsItself(object task) =>
        new($"{task} cannot await itself: await another task or future.");

    public static ArgumentException NaNDelay(string param) =>
        new("Invalid delay [NaN]: pass a number of seconds (negative counts as 0).", param);

    public static ArgumentException NotACoroutineTask(string param) =>
        new("A started .NET Task was passed where a coroutine is expected: pass a delegate (() => Work()) so the loop starts it, or wrap the task with loop.CreateTask first.", param);

    // ---- subprocess ----

    public static FileNotFoundException ProgramNotFound(string program, string? searchPath) =>
        new(searchPath == null
            ? $"Cannot start '{program}': no such file; check the program's path (relative paths are taken from the child's cwd)."
            : $"Cannot start '{program}': it was not found in any PATH directory ({searchPath}); pass its full path or fix PATH.", program);

    public static DirectoryNotFoundException CwdNotFound(string program, string cwd) =>
        new($"Cannot start '{program}' in '{cwd}': the working directory does not exist; create it or pass an existing cwd.");

    public static UnauthorizedAccessException ProgramNotExecutable(string program) =>
        new($"Cannot start '{program}': permission denied; make the file executable (chmod +x) or run it through an interpreter.");

    public static string SpawnFailed(string program, string reason) =>
        $"Cannot start '{program}': {reason}.";

    public static ArgumentException RedirectNotAllowed(string stream, Redirect how) =>
        new($"Redirect.{how} is not valid for {stream}: only stderr can be merged into stdout; use Inherit, Pipe or DevNull.", stream);

    public static ArgumentException EmptyProgram(string param) =>
        new("The program to run is empty: pass a program name or path (Aio.CreateSubprocessExec) or a command line (Aio.CreateSubprocessShell).", param);

    public static InvalidOperationException ProcessGone(object process) =>
        new($"Cannot signal {process}: the process has exited and been reaped, so its pid may belong to another process now (asyncio's ProcessLookupError); check ReturnCode first.");

    public static InvalidOperationException CommunicateAgain(object process) =>
        new($"Cannot call CommunicateAsync on {process} again: a call is already running or has returned; its output was delivered to that call (read Stdout/Stderr yourself for several rounds).");

    public static string ChildRunningAtClose(object process, object loop) =>
        $"{process} was still running when {loop} closed: it was killed with SIGKILL; await WaitAsync() (or kill it yourself) before the loop closes.";
}
