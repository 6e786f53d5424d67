using System.Runtime.ExceptionServices;
using Actors.Asyncio.Internal;
using Akka;
using Akka.Actor;

namespace Actors.Asyncio;

/// <summary>The asyncio module's functions: <c>using static Actors.Asyncio.Aio;</c> gives asyncio-style bare calls
/// (<c>await Sleep(1)</c>). Coroutines are passed as delegates (<c>() =&gt; Work()</c>) so the loop starts them.</summary>
public static partial class Aio
{
    // asyncio.run prints nothing of its own; like Python's last-resort log handler, the private system of Run shows
    // warnings and errors only (slow steps, exceptions never retrieved), not Akka's INFO lines about its own shutdown.
    private static readonly Lazy<Akka.Configuration.Config> s_runConfig = new(() =>
        Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING")
            .WithFallback(AioConfig.Default));

    /// <summary>asyncio.run(main()): creates an actor system (configured from <see cref="AioConfig.Default"/>) and a loop,
    /// runs <paramref name="main"/> as the main task and blocks until it is done; then cancels and awaits every task still
    /// pending, shuts the executor down, closes the loop and terminates the system. Returns main's result; main's
    /// exception is rethrown as itself.</summary>
    /// <exception cref="InvalidOperationException">Called from code already running on a loop.</exception>
    public static T Run<T>(Func<Task<T>> main, RunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(main);
        if (AioEventLoop.Current != null) throw Errors.RunInsideLoop();
        return RunAsync(main, options).GetAwaiter().GetResult();
    }

    /// <summary>asyncio.run(main()) for a main coroutine without a result.</summary>
    /// <exception cref="InvalidOperationException">Called from code already running on a loop.</exception>
    public static void Run(Func<Task> main, RunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(main);
        if (AioEventLoop.Current != null) throw Errors.RunInsideLoop();
        RunAsync(main, options).GetAwaiter().GetResult();
    }

    /// <summary>asyncio.run for <c>async Main</c> and tests: as <see cref="Run{T}"/>, without blocking a thread.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> main, RunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(main);
        var system = ActorSystem.Create("aio", s_runConfig.Value);
        try
        {
            var loop = AioEventLoop.Create(system, "main", options);
            try { return await loop.RunAsync(main).ConfigureAwait(false); }
            finally { await loop.DisposeAsync().ConfigureAwait(false); }
        }
        finally { await system.Terminate().ConfigureAwait(false); }
    }

    /// <summary>asyncio.run for <c>async Main</c> with a main coroutine without a result.</summary>
    public static Task RunAsync(Func<Task> main, RunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(main);
        return RunAsync(async () => { await main().ConfigureAwait(false); return NotUsed.Instance; }, options);
    }

    /// <summary>asyncio.get_running_loop(): the loop running the current code.</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static AioEventLoop GetRunningLoop() => AioEventLoop.RunningOrThrow(nameof(GetRunningLoop));

    /// <summary>asyncio.create_task(coro, name=): schedules the coroutine on the running loop; it starts on a later
    /// iteration (tasks start in creation order).</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static AioTask<T> CreateTask<T>(Func<Task<T>> coroutine, string? name = null) =>
        AioEventLoop.RunningOrThrow(nameof(CreateTask)).CreateTask(coroutine, name);

    /// <summary>asyncio.create_task for a coroutine without a result.</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static AioTask CreateTask(Func<Task> coroutine, string? name = null) =>
        AioEventLoop.RunningOrThrow(nameof(CreateTask)).CreateTask(coroutine, name);

    /// <summary>asyncio.current_task(): the task running now, or null in a plain callback.</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static IAioTask? CurrentTask()
    {
        AioEventLoop.RunningOrThrow(nameof(CurrentTask));
        return AioEventLoop.CurrentStepTask;
    }

    /// <summary>asyncio.all_tasks(): the running loop's tasks that are not done.</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static IReadOnlyCollection<IAioTask> AllTasks() => AioEventLoop.RunningOrThrow(nameof(AllTasks)).AllTasks();

    /// <summary>asyncio.sleep(delay): suspends the current task for <paramref name="delay"/> seconds of loop time.
    /// 0 or less yields exactly one iteration: every other ready task runs before this one resumes.</summary>
    /// <exception cref="ArgumentException"><paramref name="delay"/> is NaN.</exception>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static Task Sleep(double delay) => Sleep(delay, NotUsed.Instance);

    /// <summary>asyncio.sleep with a <see cref="TimeSpan"/>.</summary>
    public static Task Sleep(TimeSpan delay) => Sleep(delay.TotalSeconds, NotUsed.Instance);

    /// <summary>asyncio.sleep(delay, result): returns <paramref name="result"/> after the delay.</summary>
    public static Task<T> Sleep<T>(TimeSpan delay, T result) => Sleep(delay.TotalSeconds, result);

    /// <summary>asyncio.sleep(delay, result): returns <paramref name="result"/> after <paramref name="delay"/> seconds.</summary>
    /// <exception cref="ArgumentException"><paramref name="delay"/> is NaN.</exception>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static Task<T> Sleep<T>(double delay, T result)
    {
        if (double.IsNaN(delay)) throw Errors.NaNDelay(nameof(delay));
        var loop = AioEventLoop.RunningOrThrow(nameof(Sleep));
        return new SleepWaiter<T>(loop, result).Start(delay);
    }

    /// <summary>asyncio.to_thread(func): runs blocking <paramref name="func"/> on the loop's executor and awaits it.
    /// Cancelling the awaiting task does not interrupt a job that already started.</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static async Task<T> ToThread<T>(Func<T> func) =>
        await AioEventLoop.RunningOrThrow(nameof(ToThread)).RunInExecutor(func);

    /// <summary>asyncio.to_thread for an action.</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static async Task ToThread(Action action) =>
        await AioEventLoop.RunningOrThrow(nameof(ToThread)).RunInExecutor(action);
}
