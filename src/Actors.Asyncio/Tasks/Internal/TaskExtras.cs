namespace Actors.Asyncio.Internal;

/// <summary>What a task needs only sometimes (a given name, its actor ref, its cancellation source), made on first
/// use: a task is paid per waiting task, and most are never named, addressed or asked for a token.</summary>
internal sealed class TaskExtras(string? name)
{
    public readonly string? Name = name;
    public TaskRef? Ref;
    public CancellationTokenSource? Cts;
}
