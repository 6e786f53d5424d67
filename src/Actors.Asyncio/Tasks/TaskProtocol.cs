using Akka.Actor;

namespace Actors.Asyncio;

/// <summary>The messages a task's actor (<see cref="IAioTask.Ref"/>) understands, for plain actors and remote callers.
/// Commands are verbs, replies past tense; none carries a delegate, so they can cross Akka.Remote.</summary>
/// <remarks>A task's ref resolves from other nodes (its path is <c>/temp/aio-loop-&lt;loop&gt;/task-&lt;id&gt;</c>) for
/// as long as the task object is alive on its node; <see cref="Aio.ResultOf{T}(IActorRef, CancellationToken)"/> is the awaiter built on this
/// protocol.</remarks>
public static class TaskProtocol
{
    /// <summary>Cancel the task, as <see cref="IAioTask.Cancel"/> (asyncio.Task.cancel(msg)).</summary>
    public sealed record Cancel(string? Message = null);

    /// <summary>Send <paramref name="ReplyTo"/> the task's outcome once the task is done (at once if it is), before
    /// any watcher gets <c>Terminated</c>: a <see cref="Finished"/>, or a <see cref="Failed"/> when the task failed and
    /// <paramref name="ReplyTo"/> is on another node.</summary>
    public sealed record Subscribe(IActorRef ReplyTo);

    /// <summary>The outcome of a task: its result (null for an <see cref="AioTask"/>), its exception (only for a
    /// subscriber on the task's own node), or its cancellation.</summary>
    public sealed record Finished(string TaskName, object? Result, Exception? Exception, bool Cancelled);

    /// <summary>A task failed, told to a subscriber on another node instead of a <see cref="Finished"/> carrying the
    /// exception, because exceptions do not reliably survive serialization. Also sent when the task's result cannot be
    /// serialized (<paramref name="ExceptionType"/> is then <c>System.Runtime.Serialization.SerializationException</c>).</summary>
    /// <param name="TaskName">The task's name.</param>
    /// <param name="ExceptionType">The exception's type as <c>"Full.Type.Name, AssemblyName"</c>.</param>
    /// <param name="Message">The exception's message.</param>
    /// <param name="RemoteStackTrace">The exception's stack trace on the task's node (with inner exceptions), or null.</param>
    public sealed record Failed(string TaskName, string ExceptionType, string Message, string? RemoteStackTrace)
    {
        internal static Failed Of(string taskName, Exception e)
        {
            var type = e.GetType();
            var inner = e.InnerException == null ? "" : Environment.NewLine + " ---> " + e.InnerException;
            return new Failed(taskName, $"{type.FullName}, {type.Assembly.GetName().Name}", e.Message,
                e.StackTrace == null && inner.Length == 0 ? null : e.StackTrace + inner);
        }
    }
}
