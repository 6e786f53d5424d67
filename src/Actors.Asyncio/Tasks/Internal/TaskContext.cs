namespace Actors.Asyncio.Internal;

/// <summary>The synchronization context a task's steps run in: every continuation posted to it (an await of a plain
/// .NET task, <c>Task.Yield</c>) is a message to the task, run as one step on the loop thread in FIFO order.</summary>
internal sealed class TaskContext(ITaskCore task) : SynchronizationContext, ILoopWork
{
    private static readonly SendOrPostCallback CheckFinishedCallback = static s => ((ITaskCore)s!).CheckFinished();

    public ITaskCore Task { get; } = task;

    public override void Post(SendOrPostCallback d, object? state) => Task.Loop.Post(new ReadyItem(this, d, state));

    public override void Send(SendOrPostCallback d, object? state)
    {
        // A synchronous hop is only possible when already on the loop; elsewhere it would block a foreign thread on
        // the loop, which is how deadlocks start.
        if (!Task.Loop.IsOnLoopThread)
            throw new NotSupportedException($"Cannot Send to {Task}: synchronous calls into a loop are not supported; use Post.");
        d(state);
    }

    public override SynchronizationContext CreateCopy() => this;

    public void Execute(object? a, object? b)
    {
        // A wake-up scheduled by a future of another loop arrives on that loop's thread: hop to the task's own loop,
        // where every step of the task runs.
        if (!Task.Loop.IsOnLoopThread)
        {
            Task.Loop.PostThreadsafe(new ReadyItem(this, a, b));
            return;
        }
        switch (a)
        {
            case null: Task.Start(); break;
            case SendOrPostCallback d: Task.RunStep(d, b); break;
            case Action continuation: Task.ResumeFromFuture(continuation, (AioFuture)b!); break;
            default: throw new InvalidOperationException($"Unexpected work item [{a.GetType().Name}] for {Task}.");
        }
    }

    internal void PostCheckFinished() => Task.Loop.Post(new ReadyItem(this, CheckFinishedCallback, Task));

    public override string ToString() => Task.ToString() ?? "task";
}
