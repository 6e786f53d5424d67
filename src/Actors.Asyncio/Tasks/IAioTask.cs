using Akka.Actor;

namespace Actors.Asyncio;

/// <summary>What every asyncio.Task is, whatever its result type: <see cref="AioTask"/> and <see cref="AioTask{T}"/>.</summary>
public interface IAioTask
{
    /// <summary>asyncio.Task.get_name(): the name given at creation, or "Task-&lt;n&gt;".</summary>
    string Name { get; }

    /// <summary>The coroutine's actor: tell it <see cref="TaskProtocol.Cancel"/> or watch it (Terminated after it finishes).</summary>
    IActorRef Ref { get; }

    /// <summary>The loop the task runs on.</summary>
    AioEventLoop Loop { get; }

    /// <summary>asyncio.Task.done().</summary>
    bool IsDone { get; }

    /// <summary>asyncio.Task.cancelled(): true only once the task has ended by cancellation.</summary>
    bool IsCancelled { get; }

    /// <summary>asyncio.Task.exception(): see <see cref="AioFuture.Exception"/>.</summary>
    Exception? Exception { get; }

    /// <summary>Cancelled when the task is cancelled: pass it to .NET APIs awaited inside the task.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>asyncio.Task.cancel(msg): requests cancellation; <see cref="CancelledException"/> surfaces at the task's
    /// next await. False once the task is done.</summary>
    bool Cancel(string? message = null);

    /// <summary>asyncio.Task.cancelling(): pending cancellation requests.</summary>
    int Cancelling();

    /// <summary>asyncio.Task.uncancel(): withdraws one cancellation request; returns the number left.</summary>
    int Uncancel();

    /// <summary>The task as a future (for done callbacks and the combinators).</summary>
    AioFuture AsFuture { get; }
}
