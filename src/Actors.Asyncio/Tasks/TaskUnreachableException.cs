using Akka.Actor;

namespace Actors.Asyncio;

/// <summary>An awaited task's outcome can no longer arrive: its node went away (shut down, crashed or unreachable past
/// the failure detector's threshold), or its ref is unknown there (a wrong path, or a finished task nobody kept).
/// Thrown by <see cref="Aio.ResultOf{T}(IActorRef, System.Threading.CancellationToken)"/>; asyncio has no equivalent.</summary>
public sealed class TaskUnreachableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TaskUnreachableException() : base("The awaited task cannot be reached.") { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">What happened and what to do.</param>
    public TaskUnreachableException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public TaskUnreachableException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for <paramref name="taskRef"/>.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="taskRef">The awaited task's ref.</param>
    /// <param name="nodeTerminated">True when the task's node went away, false when the ref is unknown there.</param>
    public TaskUnreachableException(string message, IActorRef taskRef, bool nodeTerminated) : base(message)
    {
        TaskRef = taskRef;
        NodeTerminated = nodeTerminated;
    }

    /// <summary>The awaited task's ref, or null.</summary>
    public IActorRef? TaskRef { get; }

    /// <summary>True when the task's node went away (Akka's AddressTerminated); false when the node answered that it
    /// knows no such task.</summary>
    public bool NodeTerminated { get; }
}
