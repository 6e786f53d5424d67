using Actors.Asyncio.Internal;
using Akka.Actor;

namespace Actors.Asyncio;

public static partial class Aio
{
    /// <summary>Awaits the outcome of the task whose actor is <paramref name="taskRef"/> (its <see cref="IAioTask.Ref"/>),
    /// on this node or another one over Akka.Remote, from a task or callback of the running loop: asyncio has no
    /// equivalent (its tasks never leave their process).</summary>
    /// <typeparam name="T">The task's result type (a boxed number widened by the serializer is narrowed back).</typeparam>
    /// <param name="taskRef">The task's ref, as received in a message or resolved from its path
    /// (<c>akka.tcp://sys@host:port/temp/aio-loop-&lt;loop&gt;/task-&lt;id&gt;</c>).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The task's result. Awaited inside a task, the continuation runs on the loop thread like any await.</returns>
    /// <exception cref="CancelledException">The remote task was cancelled; or the wait was cancelled (the awaiting
    /// task or <paramref name="cancellationToken"/>) — which does NOT cancel the remote task (like
    /// <c>asyncio.shield</c>): tell it <see cref="TaskProtocol.Cancel"/> to do that.</exception>
    /// <exception cref="RemoteTaskException">The task failed with an exception this node cannot re-create as its own
    /// type; when it can, that exception is thrown with the remote stack trace attached.</exception>
    /// <exception cref="TaskUnreachableException">The task's node went away before the task finished, or no such task
    /// is known there (a task's ref resolves only while the task object is alive on its node).</exception>
    /// <exception cref="InvalidCastException">The result is not a <typeparamref name="T"/>.</exception>
    /// <exception cref="InvalidOperationException">No loop is running on this thread: use
    /// <see cref="ResultOf{T}(ActorSystem, IActorRef, CancellationToken)"/>.</exception>
    public static Task<T> ResultOf<T>(IActorRef taskRef, CancellationToken cancellationToken = default)
    {
        var loop = AioEventLoop.RunningOrThrow(nameof(ResultOf));
        ArgumentNullException.ThrowIfNull(taskRef);
        var internalRef = AsWatchable(taskRef);
        var waiter = new RemoteResultWaiter<T>(loop);
        waiter.Attach();
        if (!waiter.IsPending) return waiter.Task;
        waiter.Receiver = RemoteResultReceiver<T>.Start(loop.System, internalRef, waiter, loop);
        if (cancellationToken.CanBeCanceled)
            waiter.Registration = cancellationToken.Register(static w => ((RemoteResultWaiter<T>)w!).CancelWait(null), waiter);
        return waiter.Task;
    }

    /// <summary>As <see cref="ResultOf{T}(IActorRef, CancellationToken)"/>, from any thread (no loop needed): the
    /// outcome is awaited through <paramref name="system"/>, whose continuations run on the thread pool.</summary>
    /// <param name="system">The local actor system (with <c>akka.actor.provider = remote</c> to reach other nodes).</param>
    /// <param name="taskRef">The task's ref.</param>
    /// <param name="cancellationToken">Stops waiting (the remote task goes on).</param>
    /// <returns>The task's result.</returns>
    /// <exception cref="CancelledException">The remote task was cancelled, or the wait was.</exception>
    /// <exception cref="RemoteTaskException">The task failed with an exception this node cannot re-create.</exception>
    /// <exception cref="TaskUnreachableException">The task's node went away, or the task is unknown there.</exception>
    /// <exception cref="InvalidCastException">The result is not a <typeparamref name="T"/>.</exception>
    public static Task<T> ResultOf<T>(ActorSystem system, IActorRef taskRef, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(taskRef);
        var internalRef = AsWatchable(taskRef);
        if (cancellationToken.IsCancellationRequested) return Task.FromException<T>(new CancelledException());
        var source = new RemoteResultSource<T>();
        source.Receiver = RemoteResultReceiver<T>.Start(system, internalRef, source, null);
        if (cancellationToken.CanBeCanceled)
            source.Registration = cancellationToken.Register(static s => ((RemoteResultSource<T>)s!).Cancel(), source);
        return source.Task;
    }

    /// <summary>Wraps <paramref name="future"/> in a task that awaits it, so that its outcome gets an actor address
    /// (<see cref="AioTask{T}.Ref"/>) other actors and nodes can subscribe to, watch and await with
    /// <see cref="ResultOf{T}(IActorRef, CancellationToken)"/>. asyncio has no equivalent (ensure_future returns the
    /// future itself). Thread-safe.</summary>
    /// <param name="future">The future to expose; it keeps no extra state.</param>
    /// <param name="name">The task's name (default "Task-&lt;n&gt;").</param>
    /// <returns>A task on the future's loop that ends as the future does; cancelling it (also by
    /// <see cref="TaskProtocol.Cancel"/>) cancels the future.</returns>
    public static AioTask<T> AsTask<T>(AioFuture<T> future, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(future);
        return future.Loop.CreateTask(async () => await future, name);
    }

    /// <summary>As <see cref="AsTask{T}(AioFuture{T}, string)"/> for a future without a value.</summary>
    /// <param name="future">The future to expose.</param>
    /// <param name="name">The task's name (default "Task-&lt;n&gt;").</param>
    /// <returns>A task on the future's loop that ends as the future does.</returns>
    public static AioTask AsTask(AioFuture future, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(future);
        return future.Loop.CreateTask(async () => await future, name);
    }

    private static IInternalActorRef AsWatchable(IActorRef taskRef) =>
        taskRef is IInternalActorRef r && !taskRef.IsNobody() ? r : throw Errors.NotATaskRef(taskRef);
}
