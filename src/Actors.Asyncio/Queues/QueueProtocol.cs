using Akka.Actor;

namespace Actors.Asyncio;

/// <summary>The messages an <see cref="AioQueue{T}"/>'s actor (<see cref="AioQueue{T}.Ref"/>) understands, so that a
/// plain actor can feed or drain a queue. Every command gets exactly one reply, sent to its sender: its success
/// message, or <see cref="CommandFailed"/>. None carries a delegate, so they can cross Akka.Remote.</summary>
public static class QueueProtocol
{
    /// <summary>asyncio's put(item): answered with <see cref="Putted"/> once the item is in the queue, so while the queue
    /// is full the reply is deferred (backpressure: send the next Put after the reply).</summary>
    /// <param name="Item">The item; it must be of the queue's item type.</param>
    public sealed record Put(object? Item)
    {
        /// <summary>No payload in logs.</summary>
        public override string ToString() => "Put";
    }

    /// <summary>asyncio's get(): answered with <see cref="Got"/> once an item is available.</summary>
    public sealed record Get
    {
        /// <summary>The one instance.</summary>
        public static readonly Get Instance = new();
        private Get() { }
    }

    /// <summary>asyncio's task_done(): answered with <see cref="TaskMarkedDone"/>.</summary>
    public sealed record TaskDone
    {
        /// <summary>The one instance.</summary>
        public static readonly TaskDone Instance = new();
        private TaskDone() { }
    }

    /// <summary>asyncio's join(): answered with <see cref="Joined"/> once every item put has been marked done.</summary>
    public sealed record Join
    {
        /// <summary>The one instance.</summary>
        public static readonly Join Instance = new();
        private Join() { }
    }

    /// <summary>asyncio's shutdown(immediate): answered with <see cref="ShutDownCompleted"/>.</summary>
    /// <param name="Immediate">Also drop the queued items.</param>
    public sealed record Shutdown(bool Immediate = false);

    /// <summary>Reply to <see cref="Put"/>: the item is in the queue.</summary>
    public sealed record Putted
    {
        /// <summary>The one instance.</summary>
        public static readonly Putted Instance = new();
        private Putted() { }
    }

    /// <summary>Reply to <see cref="Get"/>: the item taken.</summary>
    /// <param name="Item">The item.</param>
    public sealed record Got(object? Item)
    {
        /// <summary>No payload in logs.</summary>
        public override string ToString() => "Got";
    }

    /// <summary>Reply to <see cref="TaskDone"/>.</summary>
    public sealed record TaskMarkedDone
    {
        /// <summary>The one instance.</summary>
        public static readonly TaskMarkedDone Instance = new();
        private TaskMarkedDone() { }
    }

    /// <summary>Reply to <see cref="Join"/>: no item is unfinished.</summary>
    public sealed record Joined
    {
        /// <summary>The one instance.</summary>
        public static readonly Joined Instance = new();
        private Joined() { }
    }

    /// <summary>Reply to <see cref="Shutdown"/>.</summary>
    public sealed record ShutDownCompleted
    {
        /// <summary>The one instance.</summary>
        public static readonly ShutDownCompleted Instance = new();
        private ShutDownCompleted() { }
    }

    /// <summary>A command failed: <see cref="Cause"/> is what the async member would have thrown
    /// (<see cref="QueueShutDownException"/>, <see cref="InvalidOperationException"/> for a TaskDone too many,
    /// <see cref="InvalidCastException"/> for an item of the wrong type).</summary>
    /// <param name="Command">The command that failed.</param>
    /// <param name="Cause">Why.</param>
    public sealed record CommandFailed(object Command, Exception Cause);
}
