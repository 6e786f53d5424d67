namespace Actors.Asyncio;

/// <summary>The exception a task on another node failed with, when this node cannot re-create it as its own type
/// (the type is not loadable here, or has no <c>(string message)</c> constructor). Thrown by
/// <see cref="Aio.ResultOf{T}(Akka.Actor.IActorRef, System.Threading.CancellationToken)"/>; asyncio has no
/// equivalent (its tasks never cross processes).</summary>
public sealed class RemoteTaskException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public RemoteTaskException() : base("A task on another node failed.") { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">What happened and what to do.</param>
    public RemoteTaskException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public RemoteTaskException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Describes a remote failure: <see cref="Exception.Message"/> is the remote exception's message.</summary>
    /// <param name="taskName">The failed task's name.</param>
    /// <param name="exceptionType">The remote exception's type, <c>"Full.Type.Name, AssemblyName"</c>.</param>
    /// <param name="message">The remote exception's message.</param>
    /// <param name="remoteStackTrace">The remote exception's stack trace, or null.</param>
    public RemoteTaskException(string taskName, string exceptionType, string message, string? remoteStackTrace) : base(message)
    {
        TaskName = taskName;
        ExceptionType = exceptionType;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>The failed task's name, or null.</summary>
    public string? TaskName { get; }

    /// <summary>The remote exception's type, <c>"Full.Type.Name, AssemblyName"</c>, or null.</summary>
    public string? ExceptionType { get; }

    /// <summary>The remote exception's stack trace on its node (with inner exceptions), or null.</summary>
    public string? RemoteStackTrace { get; }

    /// <summary>The type, message and remote stack trace.</summary>
    public override string ToString() =>
        $"{GetType().FullName} ({ExceptionType}): {Message}{(RemoteStackTrace == null ? "" : Environment.NewLine + "--- remote stack trace ---" + Environment.NewLine + RemoteStackTrace)}";
}
