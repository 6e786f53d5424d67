namespace Actors.Asyncio.Internal;

/// <summary>Every exception message of the library in one place: one sentence naming the object, its state and the fix.</summary>
internal static class Errors
{
    public static InvalidOperationException NoRunningLoop(string member) =>
        new($"{member} found no running event loop on this thread: call it from inside a task (Aio.Run, loop.RunAsync or loop.CreateTask), or use loop.CallSoonThreadsafe / loop.RunCoroutineThreadsafe from other threads.");

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
}
