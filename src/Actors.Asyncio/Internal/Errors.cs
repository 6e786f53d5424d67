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

    // ---- synchronisation primitives ----

    public static InvalidOperationException NotAcquired(object primitive) =>
        new($"Cannot release {primitive}: it is not acquired.");

    public static InvalidOperationException OverReleased(object semaphore, int bound) =>
        new($"Cannot release {semaphore}: it was released more times than it was acquired (its initial value [{bound}] is its limit); release only what you acquired.");

    public static ArgumentOutOfRangeException SemaphoreNegative(string param, int value) =>
        new(param, value, $"Semaphore initial value [{value}] must be >= 0.");

    public static ArgumentOutOfRangeException BarrierParties(string param, int parties) =>
        new(param, parties, $"Barrier parties [{parties}] must be > 0.");

    public static InvalidOperationException ConditionUnacquired(object condition, string verb) =>
        new($"Cannot {verb} {condition}: its lock is not acquired; acquire it first (using (await cond.AcquireAsync()) {{ … }}).");

    public static InvalidOperationException SyncNeedsLoop(object primitive, string member) =>
        new($"Cannot wait in {member} of {primitive}: no event loop runs on this thread and no loop has used it yet, so there is nothing to wait on; use it from a task first (loop.RunAsync, Aio.Run) so it binds to that loop, then plain threads may wait on it too.");

    public static string BarrierAborted(object barrier) =>
        $"Cannot wait on {barrier}: it was aborted; call ResetAsync() to use it again.";

    public static string BarrierBrokenWhileWaiting(object barrier) =>
        $"The wait on {barrier} was broken: the barrier was reset or aborted while waiting.";
    // ---- combinators ----

    public static ArgumentException WaitEmpty(string param) =>
        new("Cannot wait on an empty set of tasks/futures: pass at least one (asyncio raises ValueError 'Set of Tasks/Futures is empty.').", param);

    public static ArgumentException NullElement(string param, int index) =>
        new($"Element [{index}] of {param} is null: pass tasks or futures only.", param);

    public static ArgumentOutOfRangeException InvalidReturnWhen(ReturnWhen value) =>
        new("returnWhen", value, $"Invalid returnWhen [{value}]: use ReturnWhen.AllCompleted, FirstCompleted or FirstException.");

    public const string CoroutinesToWait =
        "Passing coroutines is forbidden: create tasks first (Aio.CreateTask(() => Work())) and pass the tasks, as asyncio.wait requires.";

    public static ArgumentException NaNTimeout(string param) =>
        new("Invalid timeout [NaN]: pass a number of seconds, or null for no timeout.", param);

    public static TimeoutException TimedOut(object scope, Exception cause) =>
        new($"{scope} expired: the operation was cancelled at its deadline.", cause);

    public static TimeoutException WaitForTimedOut(object awaited, double timeout, Exception? cause) =>
        new($"Timed out after {timeout:0.###} s waiting for {awaited}: it was cancelled.", cause);

    public static TimeoutException AsCompletedTimedOut(object stream, double timeout, int left) =>
        new($"{stream} timed out after {timeout:0.###} s with {left} task(s)/future(s) not done; they keep running.");

    public static InvalidOperationException AsCompletedReused(object stream) =>
        new($"Cannot enumerate {stream} twice: Aio.AsCompleted gives a one-shot sequence; call it again for a new one.");

    public static InvalidOperationException TimeoutWithoutTask() =>
        new("Aio.Timeout must run inside a task of the running loop (it cancels the current task at the deadline): call it from a coroutine started with Aio.Run, loop.RunAsync or Aio.CreateTask.");

    public static InvalidOperationException TimeoutNotActive(object scope, string phase) =>
        new($"Cannot reschedule {scope}: it is {phase}, not active; reschedule only inside the body before the deadline passes.");

    public static InvalidOperationException TaskGroupWithoutTask() =>
        new("Aio.TaskGroup must run inside a task of the running loop (it cancels its parent task when a child fails): call it from a coroutine started with Aio.Run, loop.RunAsync or Aio.CreateTask.");

    public static InvalidOperationException TaskGroupFinished(object group) =>
        new($"Cannot create a task in {group}: the group is finished; create tasks inside the group's body or its tasks.");

    public static InvalidOperationException TaskGroupShuttingDown(object group) =>
        new($"Cannot create a task in {group}: the group is shutting down after a failure or cancellation.");

    public static AggregateException TaskGroupFailed(object group, List<Exception> errors) =>
        new($"unhandled errors in a TaskGroup: {group} had {errors.Count} failure(s)", errors);

    // ---- queues ----
    public static ArgumentOutOfRangeException QueueMaxSize(int maxSize, string param) =>
        new(param, maxSize, $"Invalid queue maxSize [{maxSize}]: pass 0 for an unbounded queue or a positive capacity.");

    public static QueueFullException QueueFull(object queue) =>
        new($"Cannot put into {queue}: it is full; await PutAsync to wait for room, or use TryPut.");

    public static QueueEmptyException QueueEmpty(object queue) =>
        new($"Cannot get from {queue}: it is empty; await GetAsync to wait for an item, or use TryGet.");

    public static QueueShutDownException QueueShutDown(object queue, string action) =>
        new($"Cannot {action} {queue}: the queue is shut down; stop producing, and drain it with GetAsync until this exception.");

    public static InvalidOperationException QueueTaskDoneTooManyTimes(object queue) =>
        new($"Cannot mark a task done on {queue}: TaskDone() was called more times than items were put; call it once per item taken.");

    public static InvalidOperationException QueueUnbound(object queue, string member) =>
        new($"Cannot call {member} on {queue} from a thread with no event loop: no loop owns the queue yet; pass the loop to its constructor (new AioQueue<T>(maxSize, loop)) or use it from a task first.");

    public static InvalidOperationException QueueSyncCallFromOtherLoop(object queue, AioEventLoop home, string member, string alternative) =>
        new($"Cannot call {member} on {queue} from {AioEventLoop.Current}: the queue lives on {home}, and a synchronous call would block this loop's thread; await {alternative} instead.");

    public static InvalidCastException QueueItemType(object queue, string given, Type expected) =>
        new($"Cannot put an item of type {given} into {queue}: its items are {expected.Name}; send QueueProtocol.Put with a {expected.Name}.");

    public static ArgumentException QueueItemsNotComparable(Type type, string param) =>
        new($"Cannot order items of type {type.Name} in an AioPriorityQueue: the type is not IComparable; pass an IComparer<{type.Name}>.", param);
    // ---- streams ----

    public static ArgumentOutOfRangeException StreamLimitNotPositive(int limit, string param) =>
        new(param, limit, $"Invalid stream limit [{limit}]: the limit must be greater than 0 (the default is 65536 bytes).");

    public static InvalidOperationException FeedAfterEof(object reader) =>
        new($"Cannot feed data to {reader}: end of file was already fed; feed data before FeedEof.");

    public static InvalidOperationException ConcurrentRead(object reader, string method) =>
        new($"{method}() was called on {reader} while another coroutine is already waiting for incoming data: await the first read before starting another.");

    public static ArgumentException EmptySeparator(string param) =>
        new("The separator is empty: pass at least one byte (e.g. \"\\n\"u8.ToArray()).", param);

    public static LimitOverrunException SeparatorFoundPastLimit(int consumed) =>
        new($"Separator is found, but chunk is longer than limit: {consumed} bytes come before it; read them with ReadAsync/ReadExactlyAsync or raise the stream's limit.", consumed);

    public static LimitOverrunException SeparatorNotFoundPastLimit(int consumed) =>
        new($"Separator is not found, and chunk exceed the limit: {consumed} bytes scanned; read them with ReadAsync/ReadExactlyAsync or raise the stream's limit.", consumed);

    public static ArgumentOutOfRangeException ReadExactlyNegative(int n, string param) =>
        new(param, n, $"Cannot read exactly [{n}] bytes: the size cannot be less than zero.");

    public static ArgumentOutOfRangeException BadWaterMarks(int high, int low) =>
        new("high", $"Invalid write buffer limits [high {high}, low {low}]: they must satisfy 0 <= low <= high.");

    public static InvalidOperationException WriteAfterClose(object writer) =>
        new($"Cannot write to {writer}: it is closed; open a new connection to send more.");

    public static InvalidOperationException WriteAfterEof(object writer) =>
        new($"Cannot write to {writer}: WriteEof() was called, so the write direction is shut; write everything before WriteEof.");

    public static InvalidOperationException DrainAfterClose(object writer) =>
        new($"Cannot drain {writer}: it is closed; await WaitClosedAsync() to wait until the buffered bytes are sent.");

    public static NotSupportedException CannotWriteEof(object writer) =>
        new($"Cannot write end of file on {writer}: its transport does not support half-close; check CanWriteEof first or call Close().");

    public static IOException ConnectionLost(object writer) =>
        new($"Connection lost: {writer} can no longer send; the connection was closed before the data left.");

    public static IOException ConnectionLost(object writer, Exception cause) =>
        cause is IOException io ? io : new IOException($"Connection lost: {writer} failed ({cause.Message}); open a new connection.", cause);

    public static ArgumentOutOfRangeException BadPort(int port, string param) =>
        new(param, port, $"Invalid port [{port}]: pass 0 to 65535 (0 lets the system choose a free port).");

    public static InvalidOperationException ServeForeverTwice(object server) =>
        new($"Cannot serve forever on {server}: it is already being awaited on ServeForeverAsync(); await that call instead.");

    public static InvalidOperationException ServerClosed(object server) =>
        new($"Cannot serve forever on {server}: it is closed; start a new server with Aio.StartServer.");

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

    public static IOException BrokenPipe(object pipe, Exception? cause = null) =>
        new($"Broken pipe: {pipe} cannot deliver to the child, which closed its stdin or exited (asyncio's BrokenPipeError); stop writing, or check the child's ReturnCode.", cause);

    public static string BadSignal(object process, int signal, string reason) =>
        $"Cannot send signal {signal} to {process}: {reason}; pass a signal number such as 15 (SIGTERM) or 9 (SIGKILL).";

    public static PlatformNotSupportedException SubprocessNeedsPosix(string member) =>
        new($"Aio.{member} needs a POSIX system (Linux, macOS): children are started with posix_spawn and reaped on SIGCHLD; use System.Diagnostics.Process on Windows.");

    // ---- remote queues (Publish / OpenAsync) ----

    public static System.Runtime.Serialization.SerializationException RemoteQueueItemNotSerializable(object queue, Type type, Exception cause) =>
        new($"Cannot put an item of type {type.FullName} into {queue}: Akka cannot serialize it ({cause.Message}); bind a serializer for it in HOCON akka.actor.serialization-bindings (or make it serializable by the default one). Nothing was sent.", cause);

    public static System.Runtime.Serialization.SerializationException RemoteQueueItemNotDeserializable(object queue, Type type, Exception cause) =>
        new($"Cannot read an item of {queue} as {type.FullName}: {cause.Message}; give every node the same item type and the same akka.actor.serialization-bindings.", cause);

    public static ArgumentException RemoteQueueBadName(string? name, string param) =>
        new($"Cannot publish or open a queue named '{name}': a queue name must be a non-empty actor path element (letters, digits, -_.*$+:@&=,!~';); pick another name.", param);

    public static InvalidOperationException RemoteQueueDuplicateName(string name, object system) =>
        new($"Cannot publish a queue as '{name}' on {system}: another queue is already published under that name; Unpublish it first or pick another name.");

    public static InvalidOperationException RemoteQueueAlreadyPublished(object queue, string name) =>
        new($"Cannot publish {queue} again: it is already published as '{name}'; Unpublish it first.");

    public static InvalidOperationException RemoteQueueHandleOp(object queue, string member) =>
        new($"Cannot call {member} on {queue}: it is a remote handle (AioQueue<T>.OpenAsync); only the queue's own process can {member} it.");

    public static NotSupportedException RemoteQueueSyncCall(object queue, string member, string alternative) =>
        new($"Cannot call {member} on {queue}: it is a remote handle, and a synchronous call would block on the network; await {alternative} instead.");

    public static TimeoutException RemoteQueueNotFound(string name, string where, TimeSpan timeout) =>
        new($"Cannot open the queue '{name}': nothing answered at {where} within {timeout.TotalSeconds:0.###} s; publish it there first (queue.Publish(\"{name}\")), check the address, or raise actors.asyncio.remote-queue.open-timeout.");

    public static InvalidOperationException RemoteQueueNotPublishedLocally(string name, object system) =>
        new($"Cannot open the queue '{name}' on {system}: it is not published in this actor system and no directory is configured to find it elsewhere; pass the host node's address (OpenAsync(system, name, node)) or use a cluster (actors.asyncio.remote-queue.directory).");

    public static InvalidOperationException RemoteQueueTypeMismatch(string name, string hostType, Type wanted) =>
        new($"Cannot open the queue '{name}' as AioQueue<{wanted.Name}>: its items are {hostType}; open it with that item type.");

    public static QueueShutDownException RemoteQueueHostGone(object queue, string action) =>
        new($"Cannot {action} {queue}: its host actor stopped or its node became unreachable (the queue was unpublished, its loop closed or its process died); open it again once it is published.");

    public static InvalidOperationException RemoteQueueTaskDoneNothingHeld(object queue) =>
        new($"Cannot call TaskDone on {queue}: this handle holds no item taken with GetAsync that is not marked done yet (on a remote handle TaskDone marks the oldest item this handle got); call it once per item this handle got.");

    public static InvalidOperationException RemoteQueueNeedsLoop(object queue, string member) =>
        new($"Cannot call {member} on {queue} from a thread with no event loop: a remote handle completes on the caller's loop; call it from a task (Aio.Run, loop.RunAsync).");
    // ---- remote task results ----

    public static System.Runtime.Serialization.SerializationException TaskResultNotSerializable(object task, object result, Exception cause) =>
        new($"The result of {task} ({result.GetType().FullName}) cannot be serialized for a subscriber on another node: {cause.Message}; return a type Akka's serializer handles (a plain record or class), or bind a serializer for it.", cause);

    public static TaskUnreachableException TaskNodeTerminated(Akka.Actor.IActorRef taskRef) =>
        new($"Cannot get the outcome of the task at {taskRef.Path}: its node {taskRef.Path.Address} shut down or became unreachable before the task finished; retry on another node or give the work a fresh task.", taskRef, nodeTerminated: true);

    public static TaskUnreachableException TaskRefUnknown(Akka.Actor.IActorRef taskRef) =>
        new($"Cannot get the outcome of the task at {taskRef.Path}: no such task there (a wrong path, or a task that finished and was not kept); keep a reference to the task on its node until every awaiter has subscribed.", taskRef, nodeTerminated: false);

    public static TaskUnreachableException TaskOutcomeLost(Akka.Actor.IActorRef taskRef) =>
        new($"Cannot get the outcome of the task at {taskRef.Path}: the task finished but its outcome did not arrive (likely dropped by the transport; check the remote node's log for a serialization error).", taskRef, nodeTerminated: false);

    public static CancelledException RemoteTaskCancelled(string taskName, Akka.Actor.IActorRef taskRef) =>
        new($"Task '{taskName}' at {taskRef.Path} was cancelled.");

    public static InvalidCastException RemoteResultType(string taskName, object? result, Type expected) =>
        new($"The result of task '{taskName}' is {(result == null ? "null" : "a " + result.GetType().FullName)}, not {expected.FullName}: await it with Aio.ResultOf<{(result == null ? "object?" : result.GetType().Name)}> or make the task return {expected.Name}.");

    public static ArgumentException NotATaskRef(Akka.Actor.IActorRef taskRef) =>
        new($"Cannot await {taskRef}: it is not an actor reference that can be watched; pass a task's Ref (IAioTask.Ref), from this node or another.", nameof(taskRef));
}
