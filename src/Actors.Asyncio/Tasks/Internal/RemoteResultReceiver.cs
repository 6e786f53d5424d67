using System.Reflection;
using System.Runtime.ExceptionServices;
using Akka.Actor;

namespace Actors.Asyncio.Internal;

/// <summary>Where an awaited task's outcome is delivered: <see cref="RemoteResultWaiter{T}"/> inside a loop,
/// <see cref="RemoteResultSource{T}"/> elsewhere.</summary>
internal interface IRemoteResultSink<T>
{
    void Deliver(T value);

    void Reject(Exception error);
}

/// <summary>The awaiter side of <see cref="Aio.ResultOf{T}(IActorRef, CancellationToken)"/>: a short-lived system
/// actor that subscribes to the task and watches it, then stops.</summary>
/// <remarks>
/// A real actor rather than a minimal ref because watching is what bounds the wait, and only an actor cell learns of a
/// node going away: Akka.Remote's failure detector publishes that on an internal topic the cell subscribes to, and
/// turns it into <c>Terminated(addressTerminated: true)</c>. A node answers a watch of a path it does not know with a
/// termination whose existence is not confirmed. The task ref tells subscribers before watchers, so a confirmed
/// termination arriving first means the outcome was lost or reordered: the receiver subscribes once more before giving up.
/// One actor per remote await is cheap next to the network round trip it waits for.
/// </remarks>
internal sealed class RemoteResultReceiver<T> : UntypedActor, IWithTimers
{
    private readonly IActorRef _taskRef;
    private readonly IRemoteResultSink<T> _sink;
    private readonly AioEventLoop? _loop;
    private bool _retried;
    private bool _rewatched;

    // A node shutting down answers a watch with "no such actor" for a short while before it goes: wait this long and
    // ask again before believing it.
    private static readonly TimeSpan RewatchDelay = TimeSpan.FromSeconds(1);
    private static readonly object Rewatch = new();

    // How long the task's node gets to answer whether it is alive after a watch said "no such actor".
    private static readonly TimeSpan NodeProbeTimeout = TimeSpan.FromSeconds(3);
    private const string NodeProbe = "aio-node-probe";

    public ITimerScheduler Timers { get; set; } = null!;

    public RemoteResultReceiver(IActorRef taskRef, IRemoteResultSink<T> sink, AioEventLoop? loop)
    {
        _taskRef = taskRef;
        _sink = sink;
        _loop = loop;
    }

    /// <summary>Starts awaiting <paramref name="taskRef"/>; returns the receiver, to stop when the awaiter gives up.</summary>
    public static IActorRef Start(ActorSystem system, IActorRef taskRef, IRemoteResultSink<T> sink, AioEventLoop? loop)
    {
        // A reply from another node comes from outside the loop: a virtual clock must not jump past timers while it is
        // in flight. A local task's outcome comes from a loop of this process, which may itself need the clock to move.
        if (taskRef is IActorRefScope { IsLocal: true }) loop = null;
        loop?.BeginExternalWork();
        try
        {
            return ((ExtendedActorSystem)system).SystemActorOf(
                Props.Create(typeof(RemoteResultReceiver<T>), taskRef, sink, loop).WithDeploy(Deploy.Local), null);
        }
        catch
        {
            loop?.EndExternalWork();
            throw;
        }
    }

    protected override void PreStart()
    {
        Context.Watch(_taskRef);
        _taskRef.Tell(new TaskProtocol.Subscribe(Self), Self);
    }

    protected override void PostStop()
    {
        _loop?.EndExternalWork();
        // Stopped before an outcome (the awaiter gave up, or the system is shutting down): fail rather than hang.
        _sink.Reject(new CancelledException());
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case TaskProtocol.Finished { Cancelled: true } f:
                Complete(Errors.RemoteTaskCancelled(f.TaskName, _taskRef), default!);
                break;
            case TaskProtocol.Finished { Exception: { } e }:
                Complete(e, default!);
                break;
            case TaskProtocol.Finished f:
                if (TryConvert(f.Result, out var value)) Complete(null, value);
                else Complete(Errors.RemoteResultType(f.TaskName, f.Result, typeof(T)), default!);
                break;
            case TaskProtocol.Failed failed:
                Complete(Recreate(failed), default!);
                break;
            case ActorIdentity { MessageId: NodeProbe } identity:
                // A gated or quarantined endpoint answers for the node with Nobody.
                Complete(identity.Subject == null || identity.Subject.IsNobody() ? Errors.TaskNodeTerminated(_taskRef) : Errors.TaskRefUnknown(_taskRef), default!);
                break;
            case var m when ReferenceEquals(m, Rewatch):
                Context.Watch(_taskRef);
                _taskRef.Tell(new TaskProtocol.Subscribe(Self), Self);
                break;
            case ReceiveTimeout:
                Complete(Errors.TaskNodeTerminated(_taskRef), default!);
                break;
            case Terminated t when t.ActorRef.Equals(_taskRef):
                if (t.AddressTerminated) Complete(Errors.TaskNodeTerminated(_taskRef), default!);
                else if (!t.ExistenceConfirmed)
                {
                    if (_taskRef is IActorRefScope { IsLocal: true }) Complete(Errors.TaskRefUnknown(_taskRef), default!);
                    else if (!_rewatched)
                    {
                        _rewatched = true;
                        Timers.StartSingleTimer(Rewatch, Rewatch, RewatchDelay);
                    }
                    else ProbeNode();
                }
                else if (!_retried)
                {
                    _retried = true;
                    Context.Watch(_taskRef);
                    _taskRef.Tell(new TaskProtocol.Subscribe(Self), Self);
                }
                else Complete(Errors.TaskOutcomeLost(_taskRef), default!);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>A watch answered "no such actor" twice, a second apart. On another node that is also what Akka.Remote's
    /// dead letters answer while the node is shut down or gated (they drop the watch and reply on the node's behalf),
    /// so ask the node's root guardian, which always exists: an identity means the node is alive and the task unknown
    /// there; none (or silence) means the node is gone.</summary>
    private void ProbeNode()
    {
        Context.ActorSelection(new RootActorPath(_taskRef.Path.Address)).Tell(new Identify(NodeProbe), Self);
        Context.SetReceiveTimeout(NodeProbeTimeout);
    }

    private void Complete(Exception? error, T value)
    {
        if (error != null) _sink.Reject(error);
        else _sink.Deliver(value);
        Context.Stop(Self);
    }

    private static bool TryConvert(object? result, out T value)
    {
        switch (result)
        {
            case T t:
                value = t;
                return true;
            case null when default(T) == null:
                value = default!;
                return true;
            // A serializer may widen a boxed number (an int can come back as a long): narrow it back when it fits.
            case IConvertible when (Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T)) is { IsPrimitive: true } target:
                try
                {
                    value = (T)Convert.ChangeType(result, target, System.Globalization.CultureInfo.InvariantCulture);
                    return true;
                }
                catch (Exception e) when (e is InvalidCastException or OverflowException or FormatException) { }
                break;
        }
        value = default!;
        return false;
    }

    /// <summary>The remote exception as its own type when this node can load it and build it from a message, with the
    /// remote stack trace attached as .NET does for remoting; else a <see cref="RemoteTaskException"/>.</summary>
    private static Exception Recreate(TaskProtocol.Failed failed)
    {
        try
        {
            var type = Type.GetType(failed.ExceptionType, throwOnError: false);
            if (type != null && typeof(Exception).IsAssignableFrom(type) && !type.IsAbstract)
            {
                Exception? e = null;
                if (type.GetConstructor(BindingFlags.Public | BindingFlags.Instance, [typeof(string), typeof(Exception)]) is { } withInner)
                    e = (Exception)withInner.Invoke([failed.Message, null]);
                else if (type.GetConstructor(BindingFlags.Public | BindingFlags.Instance, [typeof(string)]) is { } withMessage)
                    e = (Exception)withMessage.Invoke([failed.Message]);
                if (e != null && e.Message == failed.Message)
                {
                    if (failed.RemoteStackTrace != null) ExceptionDispatchInfo.SetRemoteStackTrace(e, failed.RemoteStackTrace);
                    return e;
                }
            }
        }
        catch (Exception e) when (e is TargetInvocationException or MemberAccessException or ArgumentException or FileLoadException or BadImageFormatException) { }
        return new RemoteTaskException(failed.TaskName, failed.ExceptionType, failed.Message, failed.RemoteStackTrace);
    }

}

/// <summary>The outcome of a remote task awaited inside a loop: wakes the awaiting task on its loop thread; cancelling
/// that task stops the wait (not the remote task).</summary>
internal sealed class RemoteResultWaiter<T>(AioEventLoop loop) : LoopWaiter<T>(loop), IRemoteResultSink<T>
{
    public IActorRef? Receiver;
    public CancellationTokenRegistration Registration;

    public void Deliver(T value)
    {
        Registration.Dispose();
        Wake(value);
    }

    public void Reject(Exception error)
    {
        Registration.Dispose();
        Fail(error);
    }

    protected override void OnCancelled()
    {
        Registration.Dispose();
        (Receiver as IInternalActorRef)?.Stop();   // no dead letter if it already stopped
    }
}

/// <summary>The outcome of a remote task awaited outside any loop; continuations run asynchronously.</summary>
internal sealed class RemoteResultSource<T>() : TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously), IRemoteResultSink<T>
{
    public IActorRef? Receiver;
    public CancellationTokenRegistration Registration;

    public void Deliver(T value)
    {
        Registration.Dispose();
        TrySetResult(value);
    }

    public void Reject(Exception error)
    {
        Registration.Dispose();
        TrySetException(error);
    }

    public void Cancel()
    {
        TrySetException(new CancelledException());
        (Receiver as IInternalActorRef)?.Stop();   // no dead letter if it already stopped
    }
}
