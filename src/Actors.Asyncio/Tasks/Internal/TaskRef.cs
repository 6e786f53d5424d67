using Akka.Actor;
using Akka.Dispatch.SysMsg;

namespace Actors.Asyncio.Internal;

/// <summary>The actor reference of a task: a minimal ref (no mailbox, no cell, ~150 B) hosted by the loop actor.
/// Messages told to it become steps on the loop thread; watchers get <see cref="Terminated"/> when the task is done,
/// through the same DeathWatch notification Akka's own Ask refs use.</summary>
internal sealed class TaskRef : MinimalActorRef, ILoopWork
{
    private readonly ITaskCore _task;
    private List<IInternalActorRef>? _watchers;

    public TaskRef(ITaskCore task, long id)
    {
        _task = task;
        Path = task.Loop.ActorRef.Path / ("task-" + id);
        Provider = task.Loop.Provider;
    }

    public override ActorPath Path { get; }

    public override IActorRefProvider Provider { get; }

    public override bool IsTerminated => _task.IsDone;

    protected override void TellInternal(object message, IActorRef sender) =>
        _task.Loop.PostOrDrop(new ReadyItem(this, message, sender ?? ActorRefs.NoSender), message, sender, this);

    public override void SendSystemMessage(ISystemMessage message) =>
        _task.Loop.PostOrDrop(new ReadyItem(this, message, null), message, null, this);

    public void Execute(object? a, object? b)
    {
        switch (a)
        {
            case Watch w when w.Watcher is { } watcher && !ReferenceEquals(watcher, this):
                if (_task.IsDone) NotifyTerminated(watcher);
                else (_watchers ??= new List<IInternalActorRef>()).Add(watcher);
                break;
            case Unwatch u:
                _watchers?.Remove(u.Watcher);
                break;
            case ISystemMessage:
                break;
            default:
                _task.Receive(a!, (IActorRef)b!);
                break;
        }
    }

    /// <summary>Called on the loop thread when the task is done.</summary>
    public void OnTaskDone()
    {
        if (_watchers == null) return;
        foreach (var w in _watchers) NotifyTerminated(w);
        _watchers = null;
    }

    private void NotifyTerminated(IInternalActorRef watcher) =>
        watcher.SendSystemMessage(new DeathWatchNotification(this, existenceConfirmed: true, addressTerminated: false));

    public override string ToString() => $"[{Path}] {_task}";
}
