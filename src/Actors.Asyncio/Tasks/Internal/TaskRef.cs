using Akka;
using Akka.Actor;
using Akka.Dispatch.SysMsg;

namespace Actors.Asyncio.Internal;

/// <summary>The actor reference of a task: a minimal ref (no mailbox, no cell) hosted on the task's loop, at
/// <c>/temp/aio-loop-&lt;loop&gt;/task-&lt;id&gt;</c> (see <see cref="TaskRefDirectory"/>: that is what makes it
/// resolvable from another node). Messages told to it become steps on the loop thread; watchers get
/// <see cref="Terminated"/> when the task is done, through the same DeathWatch notification Akka's own Ask refs use.</summary>
internal sealed class TaskRef : MinimalActorRef, ILoopWork
{
    private readonly ITaskCore _task;
    private List<IInternalActorRef>? _watchers;
    private List<IActorRef>? _subscribers;

    public TaskRef(ITaskCore task, long id)
    {
        _task = task;
        Provider = task.Loop.Provider;
        Path = TaskRefDirectory.For(task.Loop).Register(this, id);
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
            case TaskProtocol.Subscribe s:
                // Kept here rather than as a done callback so that, once the task is done, every subscriber is told the
                // outcome before any watcher is told Terminated: an awaiter that both subscribes and watches (a remote
                // awaiter does) then never mistakes the end of the task for the loss of its outcome.
                var replyTo = s.ReplyTo ?? b as IActorRef;
                if (replyTo == null || replyTo.IsNobody()) break;
                if (_task.IsDone) Reply(replyTo);
                else (_subscribers ??= new List<IActorRef>()).Add(replyTo);
                break;
            case Identify identify:
                // What a real actor cell answers by itself; needed for ActorSelection(...).ResolveOne on the task's path.
                (b as IActorRef)?.Tell(new ActorIdentity(identify.MessageId, this), this);
                break;
            default:
                _task.Receive(a!, (IActorRef)b!);
                break;
        }
    }

    /// <summary>Called on the loop thread when the task is done: subscribers first, then watchers.</summary>
    public void OnTaskDone()
    {
        if (_subscribers != null)
        {
            foreach (var s in _subscribers) Reply(s);
            _subscribers = null;
        }
        if (_watchers == null) return;
        foreach (var w in _watchers) NotifyTerminated(w);
        _watchers = null;
    }

    private void Reply(IActorRef replyTo) => replyTo.Tell(Outcome(replyTo), this);

    /// <summary>The task's outcome for <paramref name="replyTo"/>. A subscriber on another node gets what can cross
    /// the wire: a failure as <see cref="TaskProtocol.Failed"/> (exceptions do not reliably survive serialization), a
    /// result checked here first, because Akka.Remote would log and drop a message it cannot serialize and the
    /// subscriber would wait forever.</summary>
    private object Outcome(IActorRef replyTo)
    {
        var future = _task.AsFuture;
        var name = _task.Name;
        bool local = replyTo is IActorRefScope { IsLocal: true };
        if (future.IsCancelled) return new TaskProtocol.Finished(name, null, null, true);
        if (future.ExceptionNoMark is { } e)
            return local ? new TaskProtocol.Finished(name, null, e, false) : TaskProtocol.Failed.Of(name, e);
        var result = future.BoxedResultUnchecked;
        if (local) return new TaskProtocol.Finished(name, result, null, false);
        if (result is NotUsed) result = null;
        var finished = new TaskProtocol.Finished(name, result, null, false);
        if (result == null) return finished;
        try
        {
            _task.Loop.System.Serialization.FindSerializerFor(finished).ToBinary(finished);
            return finished;
        }
        catch (Exception se)
        {
            return TaskProtocol.Failed.Of(name, Errors.TaskResultNotSerializable(_task, result, se));
        }
    }

    private void NotifyTerminated(IInternalActorRef watcher) =>
        watcher.SendSystemMessage(new DeathWatchNotification(this, existenceConfirmed: true, addressTerminated: false));

    public override string ToString() => $"[{Path}] {_task}";
}
