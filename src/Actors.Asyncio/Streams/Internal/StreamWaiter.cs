namespace Actors.Asyncio.Internal;

/// <summary>A stream operation waiting on the loop (a read waiting for data, a drain waiting for the write buffer,
/// a wait for the close): a <see cref="LoopWaiter{T}"/> that tells its owner when it is cancelled, and that a
/// <see cref="CancellationToken"/> can cancel from any thread.</summary>
internal sealed class StreamWaiter : LoopWaiter<bool>
{
    private static readonly Action<object?> CancelOnLoop = static w => ((StreamWaiter)w!).CancelWait("the cancellation token was cancelled");

    private readonly Action<StreamWaiter>? _onCancelled;
    private readonly Action<StreamWaiter>? _onRefused;
    private CancellationTokenRegistration _registration;

    public StreamWaiter(AioEventLoop loop, Action<StreamWaiter>? onCancelled, Action<StreamWaiter>? onRefused = null) : base(loop)
    {
        _onCancelled = onCancelled;
        _onRefused = onRefused;
    }

    /// <summary>Whether the waiter holds one unit of the loop's external work (see <see cref="AioEventLoop.BeginExternalWork"/>).</summary>
    public bool HoldsExternalWork { get; set; }

    /// <summary>Attaches to the owner task and, when <paramref name="cancellationToken"/> can be cancelled, lets it cancel
    /// the wait; the cancellation is marshalled to the loop thread so the hooks stay single-threaded.</summary>
    public StreamWaiter Start(CancellationToken cancellationToken)
    {
        Attach();
        if (cancellationToken.CanBeCanceled && IsPending)
            _registration = cancellationToken.UnsafeRegister(static s =>
            {
                var w = (StreamWaiter)s!;
                w.Loop.Post(new ReadyItem(StateActionWork.Instance, CancelOnLoop, w));
            }, this);
        return this;
    }

    /// <summary>Drops the token registration once the wait is over.</summary>
    public void Unregister() => _registration.Dispose();

    /// <summary>Releases the external work the waiter held, once.</summary>
    public void EndExternalWork()
    {
        if (!HoldsExternalWork) return;
        HoldsExternalWork = false;
        Loop.EndExternalWork();
    }

    protected override void OnDeliveryRefused(bool value) => _onRefused?.Invoke(this);

    protected override void OnCancelled()
    {
        EndExternalWork();
        _onCancelled?.Invoke(this);
    }
}
