using Akka.Actor;
using Akka.Dispatch.SysMsg;
using Akka.Event;

namespace Actors.Asyncio.Internal;

/// <summary>The actor address of a queue: a minimal ref (no mailbox, no cell) hosted on the queue's home loop, like a
/// task's <see cref="TaskRef"/>. Messages told to it run on the home loop thread, where they call the queue directly;
/// a reply that has to wait (a Put on a full queue, a Get on an empty one) is sent when the waiter completes.</summary>
internal sealed class QueueRef<T> : MinimalActorRef, ILoopWork
{
    private readonly AioQueue<T> _queue;
    private readonly AioEventLoop _home;

    public QueueRef(AioQueue<T> queue, AioEventLoop home, int id)
    {
        _queue = queue;
        _home = home;
        Path = home.ActorRef.Path / ("queue-" + id);
        Provider = home.Provider;
    }

    public override ActorPath Path { get; }

    public override IActorRefProvider Provider { get; }

    protected override void TellInternal(object message, IActorRef sender) =>
        _home.PostOrDrop(new ReadyItem(this, message, sender ?? ActorRefs.NoSender), message, sender, this);

    // A queue has no lifecycle of its own to watch; system messages are ignored.
    public override void SendSystemMessage(ISystemMessage message) { }

    public void Execute(object? a, object? b)
    {
        var sender = b as IActorRef;
        switch (a)
        {
            case QueueProtocol.Put put:
                if (put.Item is T item || (put.Item is null && default(T) is null && (item = default!) is null))
                    Reply(RunGuarded(() => _queue.PutAsync(item)), sender, put, static _ => QueueProtocol.Putted.Instance);
                else Tell(sender, new QueueProtocol.CommandFailed(put, Errors.QueueItemType(_queue, put.Item!.GetType(), typeof(T))));
                break;
            case QueueProtocol.Get get:
            {
                var got = RunGuarded(() => _queue.GetAsync().AsTask());
                Reply(got, sender, get, static t => new QueueProtocol.Got(((Task<T>)t).Result));
                break;
            }
            case QueueProtocol.TaskDone done:
                try
                {
                    _queue.TaskDone();
                    Tell(sender, QueueProtocol.TaskMarkedDone.Instance);
                }
                catch (Exception e) { Tell(sender, new QueueProtocol.CommandFailed(done, e)); }
                break;
            case QueueProtocol.Join join:
                Reply(RunGuarded(() => _queue.JoinAsync()), sender, join, static _ => QueueProtocol.Joined.Instance);
                break;
            case QueueProtocol.Shutdown shutdown:
                _queue.Shutdown(shutdown.Immediate);
                Tell(sender, QueueProtocol.ShutDownCompleted.Instance);
                break;
            default:
                _home.System.DeadLetters.Tell(new DeadLetter(a!, sender ?? ActorRefs.NoSender, this), sender ?? ActorRefs.NoSender);
                break;
        }
    }

    private static Task RunGuarded(Func<Task> call)
    {
        try { return call(); }
        catch (Exception e) { return Task.FromException(e); }
    }

    private void Reply(Task task, IActorRef? sender, object command, Func<Task, object> success)
    {
        if (task.IsCompleted) Complete(task, sender, command, success);
        else task.ContinueWith(t => Complete(t, sender, command, success), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Complete(Task task, IActorRef? sender, object command, Func<Task, object> success)
    {
        if (task.IsCompletedSuccessfully) Tell(sender, success(task));
        else
        {
            var e = task.Exception is { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0] : task.Exception ?? (Exception)new OperationCanceledException();
            Tell(sender, new QueueProtocol.CommandFailed(command, e));
        }
    }

    private void Tell(IActorRef? sender, object reply)
    {
        if (sender != null && !sender.IsNobody()) sender.Tell(reply, this);
    }

    public override string ToString() => $"[{Path}] {_queue}";
}
