using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.Timeout: the scope of an <see cref="Aio.Timeout{T}(double?, Func{AioTimeout, Task{T}})"/> body,
/// to read or move its deadline from inside.</summary>
/// <remarks>
/// The body runs in the current task. At the deadline the scope cancels that task (its pending await throws
/// <see cref="CancelledException"/>); when the cancellation unwinds out of the body, the scope turns it into
/// <see cref="TimeoutException"/>. It tells its own cancellation from an outside one with the task's
/// <see cref="IAioTask.Cancelling"/>/<see cref="IAioTask.Uncancel"/> count, so a cancellation from outside stays a
/// <see cref="CancelledException"/> and nested scopes convert only their own expiry (asyncio TO1–TO4).
/// </remarks>
public sealed class AioTimeout : IDeadlineTarget
{
    private enum Phase { Created, Entered, Expiring, Expired, Exited }

    private static long s_counter;

    private readonly long _id = Interlocked.Increment(ref s_counter);
    private readonly AioEventLoop _loop;
    private ITaskCore _task = null!;
    private Phase _phase;
    private int _cancellingAtEntry;
    private double? _when;
    private DeadlineTimer? _timer;

    internal AioTimeout(AioEventLoop loop, double? when)
    {
        _loop = loop;
        _when = when;
    }

    /// <summary>asyncio.Timeout.when(): the deadline on the loop clock (<see cref="AioEventLoop.Time"/>), or null
    /// for none.</summary>
    public double? When => _when;

    /// <summary>asyncio.Timeout.expired(): true once the deadline has passed and the scope cancelled the task.</summary>
    public bool Expired => _phase is Phase.Expiring or Phase.Expired;

    /// <summary>asyncio.Timeout.reschedule(when): moves the deadline to <paramref name="when"/> (absolute loop time;
    /// null removes it; a time already passed fires on the next iteration).</summary>
    /// <exception cref="InvalidOperationException">The scope has expired or exited.</exception>
    public void Reschedule(double? when)
    {
        if (_phase != Phase.Entered) throw Errors.TimeoutNotActive(this, _phase.ToString().ToLowerInvariant());
        if (when is { } w && double.IsNaN(w)) throw Errors.NaNDelay(nameof(when));
        _when = when;
        _timer?.Cancel();
        _timer = when is { } at ? DeadlineTimer.ArmAt(_loop, this, at) : null;
    }

    internal void Enter()
    {
        _task = AioEventLoop.CurrentStepTask is { } task && ReferenceEquals(task.Loop, _loop)
            ? task
            : throw Errors.TimeoutWithoutTask();
        _cancellingAtEntry = _task.Cancelling();
        _phase = Phase.Entered;
        Reschedule(_when);
    }

    void IDeadlineTarget.OnDeadline()
    {
        if (_phase != Phase.Entered) return;
        _task.Cancel();
        _phase = Phase.Expiring;
        _timer = null;
    }

    /// <summary>Leaves the scope with the body's outcome (null on success); true when <paramref name="error"/> is
    /// this scope's own cancellation, which the caller turns into <see cref="TimeoutException"/>.</summary>
    internal bool Exit(Exception? error)
    {
        _timer?.Cancel();
        _timer = null;
        if (_phase == Phase.Expiring)
        {
            _phase = Phase.Expired;
            // Uncancel first, always: the scope's own cancel request is withdrawn even when the body finished anyway.
            return _task.Uncancel() <= _cancellingAtEntry && error is CancelledException;
        }
        _phase = Phase.Exited;
        return false;
    }

    /// <summary>asyncio's repr: id, state and deadline.</summary>
    public override string ToString() =>
        $"<AioTimeout #{_id} [{_phase.ToString().ToLowerInvariant()}{(_when is { } w ? $", when={w:F3}" : "")}]>";
}
