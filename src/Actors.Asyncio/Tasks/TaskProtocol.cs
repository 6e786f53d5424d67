using Akka.Actor;

namespace Actors.Asyncio;

/// <summary>The messages a task's actor (<see cref="IAioTask.Ref"/>) understands, for plain actors and remote callers.
/// Commands are verbs, replies past tense; none carries a delegate, so they can cross Akka.Remote.</summary>
public static class TaskProtocol
{
    /// <summary>Cancel the task, as <see cref="IAioTask.Cancel"/> (asyncio.Task.cancel(msg)).</summary>
    public sealed record Cancel(string? Message = null);

    /// <summary>Send <paramref name="ReplyTo"/> a <see cref="Finished"/> once the task is done (at once if it is).</summary>
    public sealed record Subscribe(IActorRef ReplyTo);

    /// <summary>The outcome of a task: its result, its exception, or its cancellation.</summary>
    public sealed record Finished(string TaskName, object? Result, Exception? Exception, bool Cancelled);
}
