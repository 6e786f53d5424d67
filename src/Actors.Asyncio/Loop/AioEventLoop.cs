using System.Runtime.ExceptionServices;
using Actors.Asyncio.Internal;
using Akka.Actor;
using Akka.Event;

namespace Actors.Asyncio;

/// <summary>asyncio's event loop, as one Akka dispatcher on one dedicated thread.</summary>
/// <remarks>
/// Every step of every task of the loop, every callback and timer, and every actor placed on
/// <see cref="DispatcherId"/> runs on that one thread, in FIFO order, so they share state without locks, as in
/// asyncio. Several loops can live in one <see cref="ActorSystem"/>. Members marked thread-safe may be called from
/// anywhere; the others belong to code running on the loop (inside its tasks and callbacks).
/// </remarks>
public sealed partial class AioEventLoop : IAsyncDisposable, IDisposable
{
    private static int s_loopSequence;

    private readonly ILoggingAdapter _log;
    private readonly LoopSettings _settings;
    private readonly BoundedExecutor _executor;
    private readonly LoopActorDispatcher _dispatcher;
    private readonly HashSet<IAioTask> _tasks = new(ReferenceEqualityComparer.Instance);
    private int _closeState;

    private AioEventLoop(ActorSystem system, string name, RunOptions? options)
    {
        System = system;
        Name = name;
        AioConfig.InjectInto(system);
        _settings = LoopSettings.Create(system.Settings.Config, name, options);
        Debug = _settings.Debug;
        SlowCallbackDuration = _settings.SlowCallbackDuration;
        Clock = options?.VirtualTime == true ? new VirtualClock() : new RealClock();
        _log = Logging.GetLogger(system, $"Actors.Asyncio.AioEventLoop({name})");
        int seq = Interlocked.Increment(ref s_loopSequence);
        _executor = new BoundedExecutor($"aio-executor-{name}", _settings.ExecutorMaxWorkers, _settings.ExecutorIdleTimeout);
        _thread = new Thread(ThreadMain) { IsBackground = true, Name = $"aio-loop-{name}" };
        _thread.Start();

        DispatcherId = $"actors.asyncio.loops.{name}#{seq}";
        var ext = (ExtendedActorSystem)system;
        Provider = ext.Provider;
        var dispatcherConfig = system.Settings.Config.GetConfig("actors.asyncio.loop-dispatcher") ?? Akka.Configuration.Config.Empty;
        var configurator = new LoopDispatcherConfigurator(dispatcherConfig.WithFallback(system.Dispatchers.DefaultDispatcherConfig),
            system.Dispatchers.Prerequisites, DispatcherId, _settings.Throughput, this);
        _dispatcher = configurator.LoopDispatcher;
        system.Dispatchers.RegisterConfigurator(DispatcherId, configurator);
        try
        {
            ActorRef = system.ActorOf(Props.Create<LoopActor>().WithDispatcher(DispatcherId), "aio-loop-" + ActorNameOf(name));
        }
        catch (InvalidActorNameException e)
        {
            _stopRequested = true;
            Wake();
            throw new ArgumentException($"Cannot create loop '{name}' in {system.Name}: an open loop already has that name; close it first or choose another name.", nameof(name), e);
        }
    }

    /// <summary>Creates a loop with its own single-thread dispatcher (asyncio.new_event_loop).</summary>
    /// <param name="system">The actor system that hosts the loop's actor and dispatcher.</param>
    /// <param name="name">The loop's name: its thread is <c>aio-loop-&lt;name&gt;</c> and its settings come from
    /// <c>actors.asyncio.loops.&lt;name&gt;</c> where present, else from <c>actors.asyncio.loop-dispatcher</c>.</param>
    /// <param name="options">Debug mode, slow-callback duration, virtual time; unset members come from HOCON.</param>
    /// <exception cref="ArgumentException">An open loop of that name already exists in <paramref name="system"/>.</exception>
    public static AioEventLoop Create(ActorSystem system, string name = "main", RunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new AioEventLoop(system, name, options);
    }

    /// <summary>The loop's name.</summary>
    public string Name { get; }

    /// <summary>The actor system hosting the loop.</summary>
    public ActorSystem System { get; }

    /// <summary>The loop's own actor (its tasks' refs live at <c>/temp/aio-loop-&lt;name&gt;/task-&lt;id&gt;</c>, where other nodes can resolve them).</summary>
    public IActorRef ActorRef { get; }

    internal IActorRefProvider Provider { get; }

    /// <summary>The id of the loop's dispatcher: <c>Props.WithDispatcher(loop.DispatcherId)</c> puts an ordinary actor on
    /// the loop thread, beside the tasks. Closing the loop stops such actors (a <c>PoisonPill</c>, so what is already
    /// in their mailboxes is handled first).</summary>
    public string DispatcherId { get; }

    /// <summary>asyncio's loop.get_debug()/set_debug(): warn when one step blocks the loop longer than
    /// <see cref="SlowCallbackDuration"/>, naming the task or callback.</summary>
    public bool Debug { get; set; }

    /// <summary>asyncio's loop.slow_callback_duration (default 100 ms).</summary>
    public TimeSpan SlowCallbackDuration { get; set; }

    /// <summary>asyncio's loop.is_closed().</summary>
    public bool IsClosed => Volatile.Read(ref _closeState) != 0;

    /// <summary>The maximum number of worker threads of the loop's executor (actors.asyncio.executor.max-workers).</summary>
    public int ExecutorMaxWorkers => _executor.MaxWorkers;

    /// <summary>asyncio's loop.time(): the loop's monotonic clock in seconds (virtual under the TestKit). Thread-safe.</summary>
    public double Time() => Clock.Now;

    /// <summary>asyncio's loop.call_soon(callback): runs <paramref name="callback"/> on a later iteration, FIFO.
    /// From another thread it behaves as <see cref="CallSoonThreadsafe"/>.</summary>
    public AioHandle CallSoon(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var handle = new AioHandle(this, callback);
        Post(new ReadyItem(handle, null, null));
        return handle;
    }

    /// <summary>asyncio's loop.call_soon_threadsafe(callback): the thread-safe way to schedule onto the loop.</summary>
    /// <exception cref="InvalidOperationException">The loop is closed.</exception>
    public AioHandle CallSoonThreadsafe(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var handle = new AioHandle(this, callback);
        if (!PostThreadsafe(new ReadyItem(handle, null, null))) throw Errors.LoopClosed(this);
        return handle;
    }

    /// <summary>asyncio's loop.call_later(delay, callback): runs <paramref name="callback"/> after
    /// <paramref name="delay"/> seconds of loop time (negative counts as 0). Thread-safe.</summary>
    /// <exception cref="ArgumentException"><paramref name="delay"/> is NaN.</exception>
    public AioTimerHandle CallLater(double delay, Action callback)
    {
        if (double.IsNaN(delay)) throw Errors.NaNDelay(nameof(delay));
        return CallAt(Clock.Now + Math.Max(0, delay), callback);
    }

    /// <summary>asyncio's loop.call_later with a <see cref="TimeSpan"/>.</summary>
    public AioTimerHandle CallLater(TimeSpan delay, Action callback) => CallLater(delay.TotalSeconds, callback);

    /// <summary>asyncio's loop.call_at(when, callback): runs <paramref name="callback"/> once <see cref="Time"/> reaches
    /// <paramref name="when"/>; equal deadlines run in scheduling order. Thread-safe.</summary>
    public AioTimerHandle CallAt(double when, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (double.IsNaN(when)) throw Errors.NaNDelay(nameof(when));
        var handle = new AioTimerHandle(this, when, callback);
        if (IsOnLoopThread) AddTimer(handle);
        else if (!PostThreadsafe(new ReadyItem(StateActionWork.Instance, (Action<object?>)(h => AddTimer((ITimerEntry)h!)), handle)))
            throw Errors.LoopClosed(this);
        return handle;
    }

    /// <summary>asyncio's loop.create_future(): a pending future bound to this loop. Thread-safe.</summary>
    public AioFuture<T> CreateFuture<T>() => new(this);

    /// <summary>asyncio's loop.create_future() for a future without a value. Thread-safe.</summary>
    public AioFuture CreateFuture() => new(this);

    /// <summary>asyncio's loop.create_task(coro, name=): schedules the coroutine as a task on this loop; it starts on a
    /// later iteration, tasks in creation order. Thread-safe.</summary>
    public AioTask<T> CreateTask<T>(Func<Task<T>> coroutine, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        return Schedule(new AioTask<T>(this, coroutine, name));
    }

    /// <summary>asyncio's loop.create_task for a coroutine without a result. Thread-safe.</summary>
    public AioTask CreateTask(Func<Task> coroutine, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        return Schedule(new AioTask(this, coroutine, name));
    }

    private TTask Schedule<TTask>(TTask task) where TTask : ITaskCore
    {
        if (IsOnLoopThread)
        {
            _tasks.Add(task);
            _ready.Enqueue(new ReadyItem(StartWork.Instance, task, null));
        }
        else if (!PostThreadsafe(new ReadyItem(StartWork.Instance, task, this)))
            throw Errors.LoopClosed(this);
        return task;
    }

    /// <summary>Starts a task: registers it (when created off the loop) and runs its first step.</summary>
    private sealed class StartWork : ILoopWork
    {
        public static readonly StartWork Instance = new();
        public void Execute(object? a, object? b)
        {
            var task = (ITaskCore)a!;
            if (b is AioEventLoop loop) loop._tasks.Add(task);
            task.Start();
        }
        public override string ToString() => "<task start>";
    }

    /// <summary>Runs <paramref name="coroutine"/> as a task and completes the returned .NET task with its outcome
    /// (asyncio.run_coroutine_threadsafe, awaitable). Thread-safe; the exception is rethrown as itself.</summary>
    /// <param name="coroutine">The coroutine to run.</param>
    /// <param name="cancellationToken">Cancels the task on the loop.</param>
    public Task<T> RunAsync<T>(Func<Task<T>> coroutine, CancellationToken cancellationToken = default) =>
        Bridge(CreateTask(coroutine), cancellationToken);

    /// <summary>Runs <paramref name="coroutine"/> as a task; the returned .NET task completes with it. Thread-safe.</summary>
    /// <param name="coroutine">The coroutine to run.</param>
    /// <param name="cancellationToken">Cancels the task on the loop.</param>
    public Task RunAsync(Func<Task> coroutine, CancellationToken cancellationToken = default) =>
        Bridge(CreateTask(coroutine), cancellationToken);

    /// <summary>asyncio.run_coroutine_threadsafe(coro, loop): submit from any thread, get a .NET task.</summary>
    /// <param name="coroutine">The coroutine to run.</param>
    /// <param name="cancellationToken">Cancelling it cancels the task on the loop (as cancelling the concurrent future does).</param>
    public Task<T> RunCoroutineThreadsafe<T>(Func<Task<T>> coroutine, CancellationToken cancellationToken = default) =>
        RunAsync(coroutine, cancellationToken);

    /// <summary>asyncio.run_coroutine_threadsafe for a coroutine without a result.</summary>
    /// <param name="coroutine">The coroutine to run.</param>
    /// <param name="cancellationToken">Cancelling it cancels the task on the loop.</param>
    public Task RunCoroutineThreadsafe(Func<Task> coroutine, CancellationToken cancellationToken = default) =>
        RunAsync(coroutine, cancellationToken);

    /// <summary>asyncio's loop.run_until_complete(coro): runs the coroutine as a task and blocks the calling thread
    /// until it is done; returns its result or rethrows its exception as itself.</summary>
    /// <exception cref="InvalidOperationException">Called on a loop thread (it would block that loop).</exception>
    public T RunUntilComplete<T>(Func<Task<T>> coroutine)
    {
        if (Current != null) throw Errors.RunUntilCompleteOnLoopThread(this);
        return RunAsync(coroutine).GetAwaiter().GetResult();
    }

    /// <summary>asyncio's loop.run_until_complete for a coroutine without a result.</summary>
    /// <exception cref="InvalidOperationException">Called on a loop thread (it would block that loop).</exception>
    public void RunUntilComplete(Func<Task> coroutine)
    {
        if (Current != null) throw Errors.RunUntilCompleteOnLoopThread(this);
        RunAsync(coroutine).GetAwaiter().GetResult();
    }

    private static Task<T> Bridge<T>(AioTask<T> task, CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (cancellationToken.CanBeCanceled)
        {
            var reg = cancellationToken.Register(static t => ((IAioTask)t!).Cancel(), task);
            tcs.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), reg, TaskScheduler.Default);
        }
        task.AddCallback(new ReadyItem(StateActionWork.Instance, (Action<object?>)(_ =>
        {
            if (task.IsCancelled) tcs.TrySetException(task.MakeCancelledException());
            else if (task.ExceptionNoMark is { } e) { task.MarkRetrieved(); tcs.TrySetException(e); }
            else tcs.TrySetResult(task.ValueUnchecked);
        }), null));
        return CanceledWhenCancelled(tcs.Task);
    }

    // An async method ends in the Canceled state when an OperationCanceledException (CancelledException is one) leaves
    // it, and awaiting it still rethrows that same exception. Hosts rely on the state: BackgroundService treats a
    // Faulted ExecuteAsync as a crash even when the host itself cancelled it.
    private static async Task<T> CanceledWhenCancelled<T>(Task<T> outcome) => await outcome.ConfigureAwait(false);

    /// <summary>asyncio's loop.run_in_executor(None, func): runs <paramref name="func"/> on the loop's executor
    /// thread pool. Cancelling the future before the job starts means it never runs; once started it runs to the end.
    /// Thread-safe.</summary>
    public AioFuture<T> RunInExecutor<T>(Func<T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        var future = new AioFuture<T>(this);
        BeginExternalWork();
        bool submitted = _executor.Submit(() =>
        {
            if (future.IsDone) { Post(new ReadyItem(StateActionWork.Instance, s_endExternalWork, this)); return; }
            T value = default!;
            Exception? error = null;
            try { value = func(); }
            catch (Exception e) { error = e; }
            Post(new ReadyItem(StateActionWork.Instance, (Action<object?>)(_ =>
            {
                EndExternalWork();
                if (future.IsDone) return;
                if (error != null) future.SetException(error);
                else future.TrySetResultCore(value);
            }), null));
        });
        if (!submitted)
        {
            EndExternalWork();
            throw new InvalidOperationException($"Cannot run in the executor of {this}: the executor is shut down because the loop is closing.");
        }
        return future;
    }

    private static readonly Action<object?> s_endExternalWork = l => ((AioEventLoop)l!).EndExternalWork();

    /// <summary>asyncio's loop.run_in_executor(None, func) for an action.</summary>
    public AioFuture<Akka.NotUsed> RunInExecutor(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return RunInExecutor(() => { action(); return Akka.NotUsed.Instance; });
    }

    /// <summary>asyncio.all_tasks(loop): the loop's tasks that are not done, including those not started yet.
    /// Call it on the loop thread.</summary>
    public IReadOnlyCollection<IAioTask> AllTasks()
    {
        if (!IsOnLoopThread) throw Errors.NoRunningLoop(nameof(AllTasks));
        return _tasks.ToArray();
    }

    internal void OnTaskDone(IAioTask task) => _tasks.Remove(task);

    /// <summary>asyncio's loop.close(), made safe for actors: cancels the tasks still pending and waits (up to
    /// <c>actors.asyncio.shutdown-timeout</c>) for them to finish, reports exceptions nobody retrieved, shuts the
    /// executor down, stops the actors placed on the loop's dispatcher (<see cref="DispatcherId"/>; they could not run
    /// without its thread) and waits for them, then stops the loop actor and the loop thread. Idempotent.</summary>
    /// <exception cref="InvalidOperationException">Called from the loop's own thread (use <see cref="DisposeAsync"/> elsewhere, or let the
    /// task finish first).</exception>
    public void Close()
    {
        if (IsOnLoopThread)
            throw new InvalidOperationException($"Cannot close {this} from its own thread: a running loop cannot be closed from inside; close it from outside after awaiting the work.");
        CloseAsync().GetAwaiter().GetResult();
    }

    /// <summary>As <see cref="Close"/>, without blocking (<c>await using var loop = …</c>).</summary>
    public ValueTask DisposeAsync() => new(CloseAsync());

    /// <summary>As <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    private async Task CloseAsync()
    {
        if (Interlocked.CompareExchange(ref _closeState, 1, 0) != 0) { await _exited.Task.ConfigureAwait(false); return; }
        var timeout = _settings.ShutdownTimeout;
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        PostThreadsafe(new ReadyItem(StateActionWork.Instance, (Action<object?>)(_ => CancelAllTasks(drained, "the loop is closing")), null));
        if (await Task.WhenAny(drained.Task, Task.Delay(timeout)).ConfigureAwait(false) != drained.Task)
            _log.Warning("{0}: tasks still running {1} after being cancelled at close; they are abandoned.", this, timeout);
        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        PostThreadsafe(new ReadyItem(StateActionWork.Instance, (Action<object?>)(_ => { RunClosingHooks(); ReportAllUnretrieved(); reported.TrySetResult(); }), null));
        await Task.WhenAny(reported.Task, Task.Delay(timeout)).ConfigureAwait(false);
        // Actors placed on the loop's dispatcher (the user's, a published queue's host, a server's connection actors)
        // are stopped while the loop still runs them: once its thread is gone they could neither run nor stop, and
        // the actor system would wait for them at termination. The loop's own actor goes last, below.
        var stopping = _dispatcher.Hosted().Where(a => !a.Equals(ActorRef)).Select(a => StopHosted(a, timeout)).ToList();
        if (stopping.Count > 0)
            await Task.WhenAny(Task.WhenAll(stopping), Task.Delay(timeout)).ConfigureAwait(false);
        if (!_executor.Shutdown(timeout))
            _log.Warning("{0}: executor jobs still running {1} after close; they are abandoned.", this, timeout);
        try { await ActorRef.GracefulStop(timeout).ConfigureAwait(false); }
        catch (Exception e) when (e is TaskCanceledException or AskTimeoutException) { }
        _stopRequested = true;
        _signal.Set();
        await Task.WhenAny(_exited.Task, Task.Delay(timeout)).ConfigureAwait(false);
    }

    private static async Task StopHosted(IActorRef actor, TimeSpan timeout)
    {
        try { await actor.GracefulStop(timeout).ConfigureAwait(false); }
        catch (Exception e) when (e is TaskCanceledException or AskTimeoutException) { }
    }

    /// <summary>Resources bound to the loop that must not outlive it (subprocesses still running); run on the loop thread
    /// at close, after the tasks were cancelled and before unretrieved exceptions are reported. Loop thread only.</summary>
    internal event Action? Closing;

    private void RunClosingHooks()
    {
        var hooks = Closing;
        Closing = null;
        if (hooks == null) return;
        foreach (var hook in hooks.GetInvocationList())
        {
            try { ((Action)hook)(); }
            catch (Exception e) { ReportException("Exception in a close hook of " + this, e, null); }
        }
    }

    /// <summary>Cancels every pending task and completes <paramref name="drained"/> when none is left (tasks spawned
    /// while cancelling are cancelled too). asyncio.run's <c>_cancel_all_tasks</c>: errors other than cancellation are
    /// reported as "unhandled exception during shutdown".</summary>
    internal void CancelAllTasks(TaskCompletionSource drained, string reason)
    {
        if (_tasks.Count == 0) { drained.TrySetResult(); return; }
        var tasks = _tasks.ToArray();
        int left = tasks.Length;
        foreach (var t in tasks)
        {
            t.Cancel(reason);
            t.AsFuture.AddCallback(new ReadyItem(StateActionWork.Instance, (Action<object?>)(o =>
            {
                var task = (IAioTask)o!;
                if (!task.IsCancelled && task.AsFuture.ExceptionNoMark is { } e)
                {
                    task.AsFuture.MarkRetrieved();
                    ReportException("unhandled exception during shutdown of " + this, e, task);
                }
                if (--left == 0) CancelAllTasks(drained, reason);
            }), t));
        }
    }

    /// <summary>Moves the virtual clock forward by hand (AioTestKit.AdvanceTime). Loop thread.</summary>
    internal void AdvanceClock(double seconds) => Clock.AdvanceTo(Clock.Now + seconds);

    /// <summary>asyncio's repr: name, state and what is pending.</summary>
    public override string ToString() =>
        $"<AioEventLoop '{Name}' [{(IsClosed ? "closed" : "running")}{(Debug ? " debug" : "")}]>";

    private static string ActorNameOf(string name) =>
        new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
}
