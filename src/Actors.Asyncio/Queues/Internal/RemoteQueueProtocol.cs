namespace Actors.Asyncio.Internal;

/// <summary>The wire protocol between a published queue's host actor and the client actor of each remote handle.
/// Items travel as bytes already serialized by the sender (serializer id + manifest), so a put that cannot be
/// serialized fails where it was made and nothing is sent; the messages themselves use
/// <see cref="RemoteQueueSerializer"/>.</summary>
internal static class RemoteQueueProtocol
{
    /// <summary>Handshake: the sender is the client actor, which the host watches from now on.</summary>
    public sealed record Connect(string ItemType);

    public sealed record Put(long Id, int SerializerId, string Manifest, byte[] Bytes);

    public sealed record Get(long Id);

    public sealed record Join(long Id);

    /// <summary>Cancels a pending put, get or join (a get whose item already left comes back as a Return).</summary>
    public sealed record Cancel(long Id);

    /// <summary>TaskDone for the item handed out under <paramref name="Lease"/>.</summary>
    public sealed record Done(long Lease);

    /// <summary>An item handed out under <paramref name="Lease"/> that nobody took (its getter was cancelled): back to
    /// the head of the queue.</summary>
    public sealed record Return(long Lease);

    public sealed record Shutdown(bool Immediate);

    /// <summary>Every reply carries the queue's state after the command, the snapshot a handle shows.</summary>
    public abstract record Reply(long Id, int Count, int Unfinished, bool ShutDown);

    public sealed record Connected(int MaxSize, string ItemType, int Count, int Unfinished, bool ShutDown) : Reply(0, Count, Unfinished, ShutDown);

    public sealed record Putted(long Id, int Count, int Unfinished, bool ShutDown) : Reply(Id, Count, Unfinished, ShutDown);

    public sealed record Got(long Id, long Lease, int SerializerId, string Manifest, byte[] Bytes, int Count, int Unfinished, bool ShutDown)
        : Reply(Id, Count, Unfinished, ShutDown);

    public sealed record Joined(long Id, int Count, int Unfinished, bool ShutDown) : Reply(Id, Count, Unfinished, ShutDown);

    /// <summary>A failed command: <paramref name="Kind"/> names the exception type re-created on the client.</summary>
    public sealed record Failed(long Id, string Kind, string Message, int Count, int Unfinished, bool ShutDown) : Reply(Id, Count, Unfinished, ShutDown);

    public const string ShutDownKind = "shutdown", InvalidKind = "invalid", SerializationKind = "serialization", OtherKind = "error";

    public static string KindOf(Exception e) => e switch
    {
        QueueShutDownException => ShutDownKind,
        System.Runtime.Serialization.SerializationException => SerializationKind,
        InvalidOperationException => InvalidKind,
        _ => OtherKind,
    };

    public static Exception Recreate(string kind, string message) => kind switch
    {
        ShutDownKind => new QueueShutDownException(message),
        SerializationKind => new System.Runtime.Serialization.SerializationException(message),
        InvalidKind => new InvalidOperationException(message),
        _ => new Exception(message),
    };
}
