namespace Actors.Asyncio.Internal;

/// <summary>Something the loop thread runs from its ready queue; two argument slots avoid a closure per item.</summary>
internal interface ILoopWork
{
    void Execute(object? a, object? b);
}

/// <summary>One entry of the loop's ready queue (asyncio's <c>_ready</c> deque of handles), kept as a struct so
/// scheduling a wake-up allocates nothing.</summary>
internal readonly struct ReadyItem(ILoopWork work, object? a, object? b)
{
    public readonly ILoopWork Work = work;
    public readonly object? A = a;
    public readonly object? B = b;
}

/// <summary>Runs an <see cref="Action"/> stored in slot a.</summary>
internal sealed class ActionWork : ILoopWork
{
    public static readonly ActionWork Instance = new();
    public void Execute(object? a, object? b) => ((Action)a!)();
    public override string ToString() => "<callback>";
}

/// <summary>Runs an <see cref="Action{T}"/> stored in slot a with the state in slot b.</summary>
internal sealed class StateActionWork : ILoopWork
{
    public static readonly StateActionWork Instance = new();
    public void Execute(object? a, object? b) => ((Action<object?>)a!)(b);
    public override string ToString() => "<callback>";
}

/// <summary>Runs a mailbox of an actor on the loop's dispatcher (the dispatcher's executor is the loop thread).</summary>
internal sealed class RunnableWork : ILoopWork
{
    public static readonly RunnableWork Instance = new();
    public void Execute(object? a, object? b) => ((Akka.Dispatch.IRunnable)a!).Run();
    public override string ToString() => "<actor mailbox run>";
}

/// <summary>Runs a continuation posted through a plain <see cref="SynchronizationContext.Post"/> with no task.</summary>
internal sealed class PostWork : ILoopWork
{
    public static readonly PostWork Instance = new();
    public void Execute(object? a, object? b) => ((SendOrPostCallback)a!)(b);
    public override string ToString() => "<posted continuation>";
}
