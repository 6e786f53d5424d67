using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.Barrier: lets <see cref="Parties"/> tasks wait for each other; when the last one arrives, all are
/// released together. Cyclic: it refills once every released task has left.</summary>
/// <remarks>
/// <para>A task arriving while the barrier drains (tasks of the previous cycle still leaving) or resets waits for the
/// next cycle. Cancelling a waiting task withdraws it (<see cref="NWaiting"/> drops) without breaking the barrier,
/// unlike <c>threading.Barrier</c>. <see cref="ResetAsync"/> and <see cref="AbortAsync"/> make the current waiters
/// throw <see cref="BrokenBarrierException"/>.</para>
/// <para>Built, as asyncio's, on an <see cref="AioCondition"/>, so tasks of several loops may share a barrier.</para>
/// </remarks>
public sealed class AioBarrier
{
    private enum Phase { Filling, Draining, Resetting, Broken }

    private static int s_ids;

    private readonly int _id = Interlocked.Increment(ref s_ids);
    private readonly AioCondition _cond = new();
    private volatile Phase _phase = Phase.Filling;
    private volatile int _count;

    /// <summary>asyncio.Barrier(parties): a barrier for <paramref name="parties"/> tasks.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parties"/> is less than 1.</exception>
    public AioBarrier(int parties)
    {
        if (parties < 1) throw Errors.BarrierParties(nameof(parties), parties);
        Parties = parties;
    }

    /// <summary>asyncio's <c>Barrier.parties</c>: tasks needed to pass the barrier.</summary>
    public int Parties { get; }

    /// <summary>asyncio's <c>Barrier.n_waiting</c>: tasks waiting while the barrier fills (0 while draining or broken).</summary>
    public int NWaiting => _phase == Phase.Filling ? _count : 0;

    /// <summary>asyncio's <c>Barrier.broken</c>: true once aborted (until <see cref="ResetAsync"/>).</summary>
    public bool IsBroken => _phase == Phase.Broken;

    /// <summary>asyncio's <c>await barrier.wait()</c>: waits until <see cref="Parties"/> tasks are waiting, then
    /// releases them all.</summary>
    /// <param name="cancellationToken">Cancelled while waiting, this task is withdrawn (the barrier stays usable) and the
    /// wait ends with <see cref="OperationCanceledException"/> carrying the token.</param>
    /// <returns>The arrival index, unique per cycle: 0 for the first task to arrive, <c>Parties - 1</c> for the last.</returns>
    /// <exception cref="BrokenBarrierException">The barrier was reset or aborted while waiting, or is broken.</exception>
    /// <exception cref="CancelledException">The task was cancelled while waiting; it is withdrawn.</exception>
    public async Task<int> WaitAsync(CancellationToken cancellationToken = default)
    {
        using (await _cond.AcquireAsync(cancellationToken))
        {
            // Block while the barrier drains or resets (asyncio's _block).
            await _cond.WaitForAsync(() => _phase is not (Phase.Draining or Phase.Resetting), cancellationToken);
            if (_phase == Phase.Broken) throw new BrokenBarrierException(Errors.BarrierAborted(this));
            int index = _count++;
            try
            {
                if (index + 1 == Parties)
                {
                    _phase = Phase.Draining;   // release every waiter; newcomers wait for the next cycle
                    _cond.NotifyAll();
                }
                else
                {
                    await _cond.WaitForAsync(() => _phase != Phase.Filling, cancellationToken);
                    if (_phase is Phase.Broken or Phase.Resetting)
                        throw new BrokenBarrierException(Errors.BarrierBrokenWhileWaiting(this));
                }
                return index;
            }
            finally
            {
                _count--;
                Exit();
            }
        }
    }

    /// <summary>The last task to leave refills the barrier and wakes those waiting for the next cycle.</summary>
    private void Exit()
    {
        if (_count != 0) return;
        if (_phase is Phase.Resetting or Phase.Draining) _phase = Phase.Filling;
        _cond.NotifyAll();
    }

    /// <summary>asyncio's <c>await barrier.reset()</c>: returns the barrier to the empty, filling state; tasks waiting
    /// now throw <see cref="BrokenBarrierException"/>. A broken barrier becomes usable again.</summary>
    /// <param name="cancellationToken">Cancels waiting for the barrier's internal lock.</param>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        using (await _cond.AcquireAsync(cancellationToken))
        {
            if (_count > 0) _phase = Phase.Resetting;
            else _phase = Phase.Filling;
            _cond.NotifyAll();
        }
    }

    /// <summary>asyncio's <c>await barrier.abort()</c>: breaks the barrier; tasks waiting now and every later
    /// <see cref="WaitAsync"/> throw <see cref="BrokenBarrierException"/> until <see cref="ResetAsync"/>.</summary>
    /// <param name="cancellationToken">Cancels waiting for the barrier's internal lock.</param>
    public async Task AbortAsync(CancellationToken cancellationToken = default)
    {
        using (await _cond.AcquireAsync(cancellationToken))
        {
            _phase = Phase.Broken;
            _cond.NotifyAll();
        }
    }

    /// <summary>asyncio's repr: <c>&lt;AioBarrier #1 [filling, waiters:2/3]&gt;</c>, or <c>[broken]</c>.</summary>
    public override string ToString()
    {
        var phase = _phase;
        string state = phase.ToString().ToLowerInvariant();
        return phase == Phase.Broken ? $"<AioBarrier #{_id} [{state}]>" : $"<AioBarrier #{_id} [{state}, waiters:{NWaiting}/{Parties}]>";
    }
}
