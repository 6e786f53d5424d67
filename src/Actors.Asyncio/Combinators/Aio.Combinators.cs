using Actors.Asyncio.Internal;
using Akka;

namespace Actors.Asyncio;

// asyncio's combinators: gather, wait, wait_for, as_completed, timeout, shield, TaskGroup. Each is an aggregator on
// the caller's loop that subscribes to its children's completion (one ready-queue registration per child) — nothing
// polls and no thread blocks. Timeouts use the loop's timer heap, so the TestKit's virtual clock drives them.
public static partial class Aio
{
    // ---- gather ----

    /// <summary>asyncio.gather(*coros): runs each coroutine as a task on the running loop (in order) and gives their
    /// results in argument order, whatever the completion order.</summary>
    /// <remarks>The first failure (or a child's own cancellation) is thrown to the awaiter at once; the other tasks
    /// keep running. Cancelling the returned future cancels every task still running, and awaiting it then throws
    /// <see cref="CancelledException"/>. Each delegate is called once per position, so passing the same delegate twice
    /// runs it twice (asyncio dedupes the same coroutine object, which C# delegates are not).</remarks>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static AioFuture<T[]> Gather<T>(params Func<Task<T>>[] coroutines) => StartGather(CreateTasks(coroutines));

    /// <summary>asyncio.gather(*coros) for coroutines without a result; see <see cref="Gather{T}(Func{Task{T}}[])"/>.</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static AioFuture<NotUsed[]> Gather(params Func<Task>[] coroutines)
    {
        ArgumentNullException.ThrowIfNull(coroutines);
        var loop = AioEventLoop.RunningOrThrow(nameof(Gather));
        var tasks = new AioFuture<NotUsed>[coroutines.Length];
        for (int i = 0; i < tasks.Length; i++)
            tasks[i] = loop.CreateTask(coroutines[i] ?? throw Errors.NullElement(nameof(coroutines), i));
        return StartGather(tasks);
    }

    /// <summary>asyncio.gather(*aws, return_exceptions=True) for coroutines: each failure (and each cancellation, as a
    /// <see cref="CancelledException"/>) comes back as a value at its position.</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static AioFuture<object?[]> Gather<T>(bool returnExceptions, params Func<Task<T>>[] coroutines) =>
        Gather(returnExceptions, (AioFuture[])CreateTasks(coroutines));

    /// <summary>asyncio.gather(*tasks): awaits tasks or futures of one result type; results come in argument order.</summary>
    /// <remarks>The first exception is thrown to the awaiter as soon as it happens; the others keep running, and
    /// their later exceptions are marked retrieved. Cancelling the returned future cancels every child not done;
    /// awaiting it then throws <see cref="CancelledException"/>. A child cancelled on its own makes the gather throw
    /// <see cref="CancelledException"/> while <see cref="AioFuture.IsCancelled"/> of the gather stays false (asyncio
    /// G5). Children may belong to other loops: their completions are forwarded to this one.</remarks>
    /// <exception cref="InvalidOperationException">No loop is running and <paramref name="futures"/> is empty.</exception>
    public static AioFuture<T[]> Gather<T>(params AioFuture<T>[] futures)
    {
        ArgumentNullException.ThrowIfNull(futures);
        return StartGather(CopyChildren(futures, nameof(futures)));
    }

    /// <summary>asyncio.gather(*futures) over any sequence of tasks/futures of one result type; see
    /// <see cref="Gather{T}(AioFuture{T}[])"/>.</summary>
    public static AioFuture<T[]> Gather<T>(IEnumerable<AioFuture<T>> futures)
    {
        ArgumentNullException.ThrowIfNull(futures);
        return StartGather(CopyChildren(futures.ToArray(), nameof(futures)));
    }

    /// <summary>asyncio.gather(*tasks) over any sequence of tasks (e.g. a <c>List&lt;AioTask&lt;int&gt;&gt;</c>); see
    /// <see cref="Gather{T}(AioFuture{T}[])"/>.</summary>
    public static AioFuture<T[]> Gather<T>(IEnumerable<AioTask<T>> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return StartGather(CopyChildren<AioFuture<T>>(tasks.ToArray(), nameof(tasks)));
    }

    /// <summary>asyncio.gather() with nothing to gather: an already completed future with an empty result.</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static AioFuture<T[]> Gather<T>() => StartGather(Array.Empty<AioFuture<T>>());

    /// <summary>asyncio.gather() with nothing to gather: an already completed future with an empty result.</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static AioFuture<object?[]> Gather() => Gather(false, Array.Empty<AioFuture>());

    /// <summary>asyncio.gather(*aws, return_exceptions=…) over tasks/futures of mixed result types: results come back
    /// boxed in argument order (null for a task without a result).</summary>
    /// <param name="returnExceptions">True: a failed child gives its exception as a value at its position, a cancelled
    /// child a <see cref="CancelledException"/>, and the gather waits for every child. False: the first failure is
    /// thrown to the awaiter at once.</param>
    /// <param name="futures">The children.</param>
    /// <remarks>Cancelling the returned future cancels every child not done; awaiting it then throws
    /// <see cref="CancelledException"/>, even with <paramref name="returnExceptions"/>.</remarks>
    public static AioFuture<object?[]> Gather(bool returnExceptions, params AioFuture[] futures)
    {
        ArgumentNullException.ThrowIfNull(futures);
        var children = CopyChildren(futures, nameof(futures));
        var gather = new MixedGatherFuture(GatherLoop(children), children, returnExceptions);
        gather.Start();
        return gather;
    }

    /// <summary>asyncio.gather(*aws, return_exceptions=…) over any sequence of tasks/futures; see
    /// <see cref="Gather(bool, AioFuture[])"/>.</summary>
    public static AioFuture<object?[]> Gather(bool returnExceptions, IEnumerable<AioFuture> futures)
    {
        ArgumentNullException.ThrowIfNull(futures);
        return Gather(returnExceptions, futures.ToArray());
    }

    private static AioFuture<T>[] CreateTasks<T>(Func<Task<T>>[] coroutines)
    {
        ArgumentNullException.ThrowIfNull(coroutines);
        var loop = AioEventLoop.RunningOrThrow(nameof(Gather));
        var tasks = new AioFuture<T>[coroutines.Length];
        for (int i = 0; i < tasks.Length; i++)
            tasks[i] = loop.CreateTask(coroutines[i] ?? throw Errors.NullElement(nameof(coroutines), i));
        return tasks;
    }

    private static TChild[] CopyChildren<TChild>(TChild[] source, string param) where TChild : AioFuture
    {
        var copy = new TChild[source.Length];
        for (int i = 0; i < copy.Length; i++) copy[i] = source[i] ?? throw Errors.NullElement(param, i);
        return copy;
    }

    // asyncio: the running loop, else the loop of the first child.
    private static AioEventLoop GatherLoop(AioFuture[] children) =>
        AioEventLoop.Current ?? (children.Length > 0 ? children[0].Loop : AioEventLoop.RunningOrThrow(nameof(Gather)));

    private static AioFuture<T[]> StartGather<T>(AioFuture<T>[] children)
    {
        var gather = new GatherFuture<T>(GatherLoop(children), children);
        gather.Start();
        return gather;
    }

    // ---- wait ----

    /// <summary>asyncio.wait(aws, timeout=, return_when=): waits until the condition <paramref name="returnWhen"/>
    /// holds or <paramref name="timeout"/> seconds pass, and returns the given tasks/futures split into those done
    /// and those still pending.</summary>
    /// <remarks>Never throws the children's exceptions, never throws <see cref="TimeoutException"/>, and never
    /// cancels anything: cancel the pending ones yourself if needed. Cancelling the awaiting task throws
    /// <see cref="CancelledException"/> there and leaves the children alone. Duplicates count once.</remarks>
    /// <param name="tasks">The tasks/futures (not coroutines: create tasks first).</param>
    /// <param name="timeout">Seconds, or null to wait without limit.</param>
    /// <param name="returnWhen">When to return.</param>
    /// <exception cref="ArgumentException"><paramref name="tasks"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static Task<(IReadOnlySet<TTask> Done, IReadOnlySet<TTask> Pending)> Wait<TTask>(IEnumerable<TTask> tasks,
        double? timeout = null, ReturnWhen returnWhen = ReturnWhen.AllCompleted) where TTask : AioFuture =>
        WaitCore(tasks, static t => t, timeout, returnWhen);

    /// <summary>asyncio.wait with a <see cref="TimeSpan"/> timeout; see <see cref="Wait{TTask}(IEnumerable{TTask}, double?, ReturnWhen)"/>.</summary>
    public static Task<(IReadOnlySet<TTask> Done, IReadOnlySet<TTask> Pending)> Wait<TTask>(IEnumerable<TTask> tasks,
        TimeSpan timeout, ReturnWhen returnWhen = ReturnWhen.AllCompleted) where TTask : AioFuture =>
        WaitCore(tasks, static t => t, Seconds(timeout), returnWhen);

    /// <summary>asyncio.wait over tasks of any result type (e.g. <see cref="AllTasks"/>); see
    /// <see cref="Wait{TTask}(IEnumerable{TTask}, double?, ReturnWhen)"/>.</summary>
    public static Task<(IReadOnlySet<IAioTask> Done, IReadOnlySet<IAioTask> Pending)> Wait(IEnumerable<IAioTask> tasks,
        double? timeout = null, ReturnWhen returnWhen = ReturnWhen.AllCompleted) =>
        WaitCore(tasks, static t => t.AsFuture, timeout, returnWhen);

    /// <summary>Not supported, as in asyncio ("Passing coroutines is forbidden"): create tasks first.</summary>
    [Obsolete(Errors.CoroutinesToWait, error: true)]
    public static Task<(IReadOnlySet<AioTask<T>> Done, IReadOnlySet<AioTask<T>> Pending)> Wait<T>(IEnumerable<Func<Task<T>>> coroutines,
        double? timeout = null, ReturnWhen returnWhen = ReturnWhen.AllCompleted) =>
        throw new ArgumentException(Errors.CoroutinesToWait, nameof(coroutines));

    /// <summary>Not supported, as in asyncio ("Passing coroutines is forbidden"): create tasks first.</summary>
    [Obsolete(Errors.CoroutinesToWait, error: true)]
    public static Task<(IReadOnlySet<AioTask> Done, IReadOnlySet<AioTask> Pending)> Wait(IEnumerable<Func<Task>> coroutines,
        double? timeout = null, ReturnWhen returnWhen = ReturnWhen.AllCompleted) =>
        throw new ArgumentException(Errors.CoroutinesToWait, nameof(coroutines));

    private static async Task<(IReadOnlySet<TTask> Done, IReadOnlySet<TTask> Pending)> WaitCore<TTask>(
        IEnumerable<TTask> tasks, Func<TTask, AioFuture> asFuture, double? timeout, ReturnWhen returnWhen) where TTask : class
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (!Enum.IsDefined(returnWhen)) throw Errors.InvalidReturnWhen(returnWhen);
        if (timeout is { } tv && double.IsNaN(tv)) throw Errors.NaNTimeout(nameof(timeout));
        var set = tasks is ICollection<TTask> c ? new HashSet<TTask>(c.Count, ReferenceEqualityComparer.Instance) : new HashSet<TTask>(ReferenceEqualityComparer.Instance);
        int index = 0;
        foreach (var t in tasks)
        {
            set.Add(t ?? throw Errors.NullElement(nameof(tasks), index));
            index++;
        }
        if (set.Count == 0) throw Errors.WaitEmpty(nameof(tasks));
        var loop = AioEventLoop.RunningOrThrow(nameof(Wait));

        var waiter = new WaitFuture(loop, set.Count, returnWhen);
        foreach (var t in set) ChildDoneWork.Subscribe(asFuture(t), waiter);
        if (timeout is { } seconds) waiter.ArmTimeout(seconds);
        try { await waiter; }
        finally
        {
            waiter.Cancel();
            foreach (var t in set) ChildDoneWork.Unsubscribe(asFuture(t), waiter);
        }

        var done = new HashSet<TTask>(ReferenceEqualityComparer.Instance);
        var pending = new HashSet<TTask>(ReferenceEqualityComparer.Instance);
        foreach (var t in set) (asFuture(t).IsDone ? done : pending).Add(t);
        return (done, pending);
    }

    // ---- wait_for ----

    /// <summary>asyncio.wait_for(coro, timeout): runs <paramref name="coroutine"/> in the current task under a
    /// deadline (as asyncio 3.12 does) and returns its result.</summary>
    /// <remarks>At the deadline the coroutine is cancelled at its await; once it has unwound (its cleanup runs
    /// first), <see cref="TimeoutException"/> is thrown with the <see cref="CancelledException"/> as inner exception.
    /// A coroutine that swallows the cancellation and returns a value makes WaitFor return it; one that throws another
    /// exception meanwhile throws that. A timeout of 0 or less starts the coroutine as a task already cancelled, so it
    /// never runs. Null waits without limit. Cancelling the awaiting task cancels the coroutine and throws
    /// <see cref="CancelledException"/>.</remarks>
    /// <exception cref="TimeoutException">The deadline passed.</exception>
    /// <exception cref="InvalidOperationException">Not called inside a task of the running loop.</exception>
    public static Task<T> WaitFor<T>(Func<Task<T>> coroutine, double? timeout)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        if (timeout is not { } t) return RunCoroutine(coroutine);
        if (double.IsNaN(t)) throw Errors.NaNTimeout(nameof(timeout));
        var loop = AioEventLoop.RunningOrThrow(nameof(WaitFor));
        if (t <= 0) return WaitFor(loop.CreateTask(coroutine), t);
        return TimeoutCore(new AioTimeout(loop, loop.Time() + t), coroutine, null, "the coroutine", t);
    }

    /// <summary>asyncio.wait_for(coro, timeout) for a coroutine without a result; see <see cref="WaitFor{T}(Func{Task{T}}, double?)"/>.</summary>
    /// <exception cref="TimeoutException">The deadline passed.</exception>
    public static Task WaitFor(Func<Task> coroutine, double? timeout)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        if (timeout is not { } t) return RunCoroutine(coroutine);
        if (double.IsNaN(t)) throw Errors.NaNTimeout(nameof(timeout));
        var loop = AioEventLoop.RunningOrThrow(nameof(WaitFor));
        if (t <= 0) return WaitFor(loop.CreateTask(coroutine), t);
        return TimeoutCore(new AioTimeout(loop, loop.Time() + t), coroutine, null, "the coroutine", t);
    }

    /// <summary>asyncio.wait_for with a <see cref="TimeSpan"/>; see <see cref="WaitFor{T}(Func{Task{T}}, double?)"/>.</summary>
    /// <exception cref="TimeoutException">The deadline passed.</exception>
    public static Task<T> WaitFor<T>(Func<Task<T>> coroutine, TimeSpan timeout) => WaitFor(coroutine, Seconds(timeout));

    /// <summary>asyncio.wait_for with a <see cref="TimeSpan"/>; see <see cref="WaitFor{T}(Func{Task{T}}, double?)"/>.</summary>
    /// <exception cref="TimeoutException">The deadline passed.</exception>
    public static Task WaitFor(Func<Task> coroutine, TimeSpan timeout) => WaitFor(coroutine, Seconds(timeout));

    /// <summary>asyncio.wait_for(task, timeout): awaits <paramref name="future"/> (a task or future) for at most
    /// <paramref name="timeout"/> seconds and returns its result; its exception is rethrown as itself.</summary>
    /// <remarks>At the deadline the future is cancelled and WaitFor waits until it has really finished (a task's
    /// cleanup runs first), then throws <see cref="TimeoutException"/> (inner: the <see cref="CancelledException"/>).
    /// A task that swallows the cancellation and returns a value makes WaitFor return it. With 0 or less, a future
    /// already done gives its result at once, else it is cancelled, awaited and TimeoutException thrown. Null waits
    /// without limit. Cancelling the awaiting task cancels <paramref name="future"/>; a cancellation that arrives in
    /// the same iteration as the future's completion is still delivered (asyncio 3.12+, WF6).</remarks>
    /// <exception cref="TimeoutException">The deadline passed.</exception>
    /// <exception cref="InvalidOperationException">A timeout is given but this is not called inside a task of the
    /// running loop.</exception>
    public static async Task<T> WaitFor<T>(AioFuture<T> future, double? timeout)
    {
        ArgumentNullException.ThrowIfNull(future);
        if (timeout is not { } t) return await future;
        if (double.IsNaN(t)) throw Errors.NaNTimeout(nameof(timeout));
        var loop = AioEventLoop.RunningOrThrow(nameof(WaitFor));
        if (t <= 0)
        {
            if (!future.IsDone) await CancelAndWait(loop, future);
            try { return future.Result; }
            catch (CancelledException e) { throw Errors.WaitForTimedOut(future, t, e); }
        }
        var scope = new AioTimeout(loop, loop.Time() + t);
        scope.Enter();
        T result;
        try { result = await future; }
        catch (Exception e)
        {
            if (scope.Exit(e)) throw Errors.WaitForTimedOut(future, t, (CancelledException)e);
            throw;
        }
        scope.Exit(null);
        return result;
    }

    /// <summary>asyncio.wait_for(fut, timeout) for a future without a value; see <see cref="WaitFor{T}(AioFuture{T}, double?)"/>.</summary>
    /// <exception cref="TimeoutException">The deadline passed.</exception>
    public static async Task WaitFor(AioFuture future, double? timeout)
    {
        ArgumentNullException.ThrowIfNull(future);
        if (timeout is not { } t) { await future; return; }
        if (double.IsNaN(t)) throw Errors.NaNTimeout(nameof(timeout));
        var loop = AioEventLoop.RunningOrThrow(nameof(WaitFor));
        if (t <= 0)
        {
            if (!future.IsDone) await CancelAndWait(loop, future);
            try { future.ThrowIfNotSuccess(); return; }
            catch (CancelledException e) { throw Errors.WaitForTimedOut(future, t, e); }
        }
        var scope = new AioTimeout(loop, loop.Time() + t);
        scope.Enter();
        try { await future; }
        catch (Exception e)
        {
            if (scope.Exit(e)) throw Errors.WaitForTimedOut(future, t, (CancelledException)e);
            throw;
        }
        scope.Exit(null);
    }

    /// <summary>asyncio.wait_for with a <see cref="TimeSpan"/>; see <see cref="WaitFor{T}(AioFuture{T}, double?)"/>.</summary>
    /// <exception cref="TimeoutException">The deadline passed.</exception>
    public static Task<T> WaitFor<T>(AioFuture<T> future, TimeSpan timeout) => WaitFor(future, Seconds(timeout));

    /// <summary>asyncio.wait_for with a <see cref="TimeSpan"/>; see <see cref="WaitFor{T}(AioFuture{T}, double?)"/>.</summary>
    /// <exception cref="TimeoutException">The deadline passed.</exception>
    public static Task WaitFor(AioFuture future, TimeSpan timeout) => WaitFor(future, Seconds(timeout));

    // asyncio's _cancel_and_wait: cancel, then wait for the future to really finish without raising its outcome.
    private static async Task CancelAndWait(AioEventLoop loop, AioFuture future)
    {
        var waiter = new DoneWaiter(loop, future);
        future.Cancel();
        await waiter;
    }

    private static Task<T> RunCoroutine<T>(Func<Task<T>> coroutine) =>
        coroutine() ?? throw new InvalidOperationException("The coroutine returned null instead of a Task.");

    private static Task RunCoroutine(Func<Task> coroutine) =>
        coroutine() ?? throw new InvalidOperationException("The coroutine returned null instead of a Task.");

    // Infinite or MaxValue TimeSpans mean "no timeout", as in .NET.
    private static double? Seconds(TimeSpan timeout) =>
        timeout == System.Threading.Timeout.InfiniteTimeSpan || timeout == TimeSpan.MaxValue ? null : timeout.TotalSeconds;

    // ---- as_completed ----

    /// <summary>asyncio.as_completed(aws, timeout=) as in 3.13's <c>async for</c>: yields the given tasks/futures
    /// themselves, in completion order; <c>await</c> each for its result or exception.</summary>
    /// <remarks>Subscribes at once, so nothing is missed before iteration starts; duplicates count once; an empty
    /// input yields nothing. With a timeout, once the deadline passes every further step (after those already
    /// completed) throws <see cref="TimeoutException"/>; nothing is cancelled. One-shot: enumerate it once, on the
    /// loop.</remarks>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static IAsyncEnumerable<TTask> AsCompleted<TTask>(IEnumerable<TTask> tasks, double? timeout = null) where TTask : AioFuture
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (timeout is { } tv && double.IsNaN(tv)) throw Errors.NaNTimeout(nameof(timeout));
        var loop = AioEventLoop.RunningOrThrow(nameof(AsCompleted));
        var set = new HashSet<TTask>(ReferenceEqualityComparer.Instance);
        int index = 0;
        foreach (var t in tasks)
        {
            set.Add(t ?? throw Errors.NullElement(nameof(tasks), index));
            index++;
        }
        return new AsCompletedStream<TTask>(loop, set, timeout);
    }

    /// <summary>asyncio.as_completed with a <see cref="TimeSpan"/>; see <see cref="AsCompleted{TTask}(IEnumerable{TTask}, double?)"/>.</summary>
    public static IAsyncEnumerable<TTask> AsCompleted<TTask>(IEnumerable<TTask> tasks, TimeSpan timeout) where TTask : AioFuture =>
        AsCompleted(tasks, Seconds(timeout));

    /// <summary>asyncio.as_completed over coroutines: runs each as a task now, then yields the tasks in completion
    /// order; see <see cref="AsCompleted{TTask}(IEnumerable{TTask}, double?)"/>.</summary>
    public static IAsyncEnumerable<AioTask<T>> AsCompleted<T>(IEnumerable<Func<Task<T>>> coroutines, double? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(coroutines);
        var loop = AioEventLoop.RunningOrThrow(nameof(AsCompleted));
        return AsCompleted(coroutines.Select(c => loop.CreateTask(c)).ToList(), timeout);
    }

    // ---- timeout ----

    /// <summary>asyncio.timeout(delay) (<c>async with asyncio.timeout(d): …</c>): runs <paramref name="body"/> in the
    /// current task with a deadline <paramref name="delay"/> seconds from now (null: none).</summary>
    /// <remarks>At the deadline the current task is cancelled at its pending await; when the
    /// <see cref="CancelledException"/> unwinds out of the body, it becomes <see cref="TimeoutException"/> (inner: the
    /// cancellation). A cancellation from outside stays a <see cref="CancelledException"/>; nested timeouts convert
    /// only their own expiry; the task's cancellation count is back to its entry value afterwards. 0 or less expires
    /// on the next iteration.</remarks>
    /// <exception cref="TimeoutException">The deadline passed while the body ran.</exception>
    /// <exception cref="InvalidOperationException">Not called inside a task of the running loop.</exception>
    public static Task<T> Timeout<T>(double? delay, Func<Task<T>> body) => TimeoutAfter(delay, body, null);

    /// <summary>asyncio.timeout(delay) for a body without a result; see <see cref="Timeout{T}(double?, Func{Task{T}})"/>.</summary>
    /// <exception cref="TimeoutException">The deadline passed while the body ran.</exception>
    public static Task Timeout(double? delay, Func<Task> body) => TimeoutAfter(delay, body, null);

    /// <summary>asyncio.timeout(delay) whose body receives the scope (<see cref="AioTimeout.Reschedule"/>,
    /// <see cref="AioTimeout.Expired"/>); see <see cref="Timeout{T}(double?, Func{Task{T}})"/>.</summary>
    /// <exception cref="TimeoutException">The deadline passed while the body ran.</exception>
    public static Task<T> Timeout<T>(double? delay, Func<AioTimeout, Task<T>> body) => TimeoutAfter<T>(delay, null, body);

    /// <summary>asyncio.timeout(delay) whose body receives the scope, without a result.</summary>
    /// <exception cref="TimeoutException">The deadline passed while the body ran.</exception>
    public static Task Timeout(double? delay, Func<AioTimeout, Task> body) => TimeoutAfter(delay, null, body);

    /// <summary>asyncio.timeout with a <see cref="TimeSpan"/>; see <see cref="Timeout{T}(double?, Func{Task{T}})"/>.</summary>
    /// <exception cref="TimeoutException">The deadline passed while the body ran.</exception>
    public static Task<T> Timeout<T>(TimeSpan delay, Func<Task<T>> body) => TimeoutAfter(Seconds(delay), body, null);

    /// <summary>asyncio.timeout with a <see cref="TimeSpan"/>, without a result.</summary>
    /// <exception cref="TimeoutException">The deadline passed while the body ran.</exception>
    public static Task Timeout(TimeSpan delay, Func<Task> body) => TimeoutAfter(Seconds(delay), body, null);

    /// <summary>asyncio.timeout_at(when): as <see cref="Timeout{T}(double?, Func{Task{T}})"/> with an absolute deadline
    /// on the loop clock (<see cref="AioEventLoop.Time"/>; null: none).</summary>
    /// <exception cref="TimeoutException">The deadline passed while the body ran.</exception>
    public static Task<T> TimeoutAt<T>(double? when, Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (when is { } w && double.IsNaN(w)) throw Errors.NaNDelay(nameof(when));
        var loop = AioEventLoop.RunningOrThrow(nameof(TimeoutAt));
        return TimeoutCore(new AioTimeout(loop, when), body, null, null, 0);
    }

    /// <summary>asyncio.timeout_at(when) for a body without a result.</summary>
    /// <exception cref="TimeoutException">The deadline passed while the body ran.</exception>
    public static Task TimeoutAt(double? when, Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (when is { } w && double.IsNaN(w)) throw Errors.NaNDelay(nameof(when));
        var loop = AioEventLoop.RunningOrThrow(nameof(TimeoutAt));
        return TimeoutCore(new AioTimeout(loop, when), body, null, null, 0);
    }

    private static Task<T> TimeoutAfter<T>(double? delay, Func<Task<T>>? body, Func<AioTimeout, Task<T>>? withScope)
    {
        if (body == null && withScope == null) throw new ArgumentNullException(nameof(body));
        if (delay is { } d && double.IsNaN(d)) throw Errors.NaNDelay(nameof(delay));
        var loop = AioEventLoop.RunningOrThrow(nameof(Timeout));
        return TimeoutCore(new AioTimeout(loop, delay is { } s ? loop.Time() + s : null), body, withScope, null, 0);
    }

    private static Task TimeoutAfter(double? delay, Func<Task>? body, Func<AioTimeout, Task>? withScope)
    {
        if (body == null && withScope == null) throw new ArgumentNullException(nameof(body));
        if (delay is { } d && double.IsNaN(d)) throw Errors.NaNDelay(nameof(delay));
        var loop = AioEventLoop.RunningOrThrow(nameof(Timeout));
        return TimeoutCore(new AioTimeout(loop, delay is { } s ? loop.Time() + s : null), body, withScope, null, 0);
    }

    // One body for Timeout and WaitFor(coroutine): `awaited` names what WaitFor waited for in its TimeoutException.
    private static async Task<T> TimeoutCore<T>(AioTimeout scope, Func<Task<T>>? body, Func<AioTimeout, Task<T>>? withScope,
        object? awaited, double timeout)
    {
        scope.Enter();
        T result;
        try { result = await (body != null ? body() : withScope!(scope)); }
        catch (Exception e)
        {
            if (scope.Exit(e))
                throw awaited != null ? Errors.WaitForTimedOut(awaited, timeout, (CancelledException)e) : Errors.TimedOut(scope, (CancelledException)e);
            throw;
        }
        scope.Exit(null);
        return result;
    }

    private static async Task TimeoutCore(AioTimeout scope, Func<Task>? body, Func<AioTimeout, Task>? withScope,
        object? awaited, double timeout)
    {
        scope.Enter();
        try { await (body != null ? body() : withScope!(scope)); }
        catch (Exception e)
        {
            if (scope.Exit(e))
                throw awaited != null ? Errors.WaitForTimedOut(awaited, timeout, (CancelledException)e) : Errors.TimedOut(scope, (CancelledException)e);
            throw;
        }
        scope.Exit(null);
    }

    // ---- shield ----

    /// <summary>asyncio.shield(aw): a future that copies <paramref name="inner"/>'s outcome, so that cancelling whoever
    /// awaits it (or the shield itself) leaves <paramref name="inner"/> running; its result stays available from
    /// <paramref name="inner"/>. If <paramref name="inner"/> is cancelled by someone else, the shield is cancelled
    /// too. An inner already done is returned itself.</summary>
    public static AioFuture<T> Shield<T>(AioFuture<T> inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return inner.IsDone ? inner : new ShieldFuture<T>(inner);
    }

    /// <summary>asyncio.shield for a future without a value; see <see cref="Shield{T}(AioFuture{T})"/>.</summary>
    public static AioFuture Shield(AioFuture inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return inner.IsDone ? inner : new ShieldFuture(inner);
    }

    /// <summary>asyncio.shield(coro): runs <paramref name="coroutine"/> as a task and shields it; see
    /// <see cref="Shield{T}(AioFuture{T})"/>.</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static AioFuture<T> Shield<T>(Func<Task<T>> coroutine) => Shield(CreateTask(coroutine));

    /// <summary>asyncio.shield(coro) for a coroutine without a result.</summary>
    /// <exception cref="InvalidOperationException">No event loop is running on this thread.</exception>
    public static AioFuture Shield(Func<Task> coroutine) => Shield((AioFuture)CreateTask(coroutine));

    // ---- TaskGroup ----

    /// <summary>asyncio.TaskGroup (<c>async with asyncio.TaskGroup() as tg: …</c>): runs <paramref name="body"/> in the
    /// current task with a group whose <see cref="AioTaskGroup.CreateTask{T}(Func{Task{T}}, string?)"/> starts tasks, and
    /// returns once every task of the group has finished.</summary>
    /// <remarks>The first child failure cancels the other children and the body; the failures (not cancellations),
    /// children's in completion order then the body's, are thrown together as ONE <see cref="AggregateException"/>
    /// (asyncio's ExceptionGroup), and every one of them is marked retrieved. A cancellation of the current task from
    /// outside cancels the children and propagates as <see cref="CancelledException"/> (unless children failed). The
    /// task's cancellation count is restored, so the code after the group runs normally.</remarks>
    /// <exception cref="AggregateException">One or more children (or the body) failed.</exception>
    /// <exception cref="InvalidOperationException">Not called inside a task of the running loop.</exception>
    public static async Task TaskGroup(Func<AioTaskGroup, Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var group = EnterTaskGroup();
        Exception? error = null;
        try { await (body(group) ?? throw new InvalidOperationException("The task group's body returned null instead of a Task.")); }
        catch (Exception e) { error = e; }
        await group.ExitAsync(error);
    }

    /// <summary>asyncio.TaskGroup with a body that returns a value (given back once every task of the group has
    /// finished); see <see cref="TaskGroup(Func{AioTaskGroup, Task})"/>.</summary>
    /// <exception cref="AggregateException">One or more children (or the body) failed.</exception>
    /// <exception cref="InvalidOperationException">Not called inside a task of the running loop.</exception>
    public static async Task<T> TaskGroup<T>(Func<AioTaskGroup, Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var group = EnterTaskGroup();
        Exception? error = null;
        T result = default!;
        try { result = await (body(group) ?? throw new InvalidOperationException("The task group's body returned null instead of a Task.")); }
        catch (Exception e) { error = e; }
        await group.ExitAsync(error);
        return result;
    }

    private static AioTaskGroup EnterTaskGroup()
    {
        var loop = AioEventLoop.RunningOrThrow(nameof(TaskGroup));
        var parent = AioEventLoop.CurrentStepTask ?? throw Errors.TaskGroupWithoutTask();
        return new AioTaskGroup(loop, parent);
    }
}
