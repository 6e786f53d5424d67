using Akka.Streams;
using Akka.Streams.Stage;

namespace Actors.Asyncio.Internal;

/// <summary>The stage behind <see cref="AioQueue{T}.AsSource"/>: one GetAsync per downstream pull, completing the stream
/// when the queue is shut down and drained. An item that arrives after the stream stopped goes back to the head of the
/// queue, so stopping a stream never loses an item.</summary>
internal sealed class QueueSourceStage<T> : GraphStage<SourceShape<T>>
{
    private readonly AioQueue<T> _queue;
    private readonly Outlet<T> _out = new("AioQueue.out");

    public QueueSourceStage(AioQueue<T> queue)
    {
        _queue = queue;
        Shape = new SourceShape<T>(_out);
    }

    public override SourceShape<T> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : OutGraphStageLogic
    {
        private const int Idle = 0, Stopped = 1, Arriving = 2;

        private readonly QueueSourceStage<T> _stage;
        private readonly CancellationTokenSource _cts = new();
        private readonly Action<Task<T>> _onGot;
        private int _state;
        private Task<T>? _arrived;

        public Logic(QueueSourceStage<T> stage) : base(stage.Shape)
        {
            _stage = stage;
            _onGot = GetAsyncCallback<Task<T>>(OnGot);
            SetHandler(stage._out, this);
        }

        public override void OnPull()
        {
            ValueTask<T> next;
            try { next = _stage._queue.GetAsync(_cts.Token); }
            catch (Exception e) { FailStage(e); return; }
            if (next.IsCompletedSuccessfully) { Push(_stage._out, next.Result); return; }
            next.AsTask().ContinueWith(static (t, s) => ((Logic)s!).Arrive(t), this, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        // Any thread: hand the outcome to the stage unless it stopped; the state handshake makes sure exactly one of
        // OnGot and PostStop deals with an item.
        private void Arrive(Task<T> t)
        {
            _arrived = t;
            if (Interlocked.CompareExchange(ref _state, Arriving, Idle) == Idle) _onGot(t);
            else if (t.IsCompletedSuccessfully) _stage._queue.GiveBack(t.Result);
        }

        private void OnGot(Task<T> t)
        {
            if (Interlocked.CompareExchange(ref _state, Idle, Arriving) != Arriving) return;
            _arrived = null;
            if (t.IsCompletedSuccessfully) Push(_stage._out, t.Result);
            else if (t.Exception?.InnerException is QueueShutDownException) CompleteStage();
            else if (t.IsCanceled) CompleteStage();
            else FailStage(t.Exception!.InnerException ?? t.Exception);
        }

        public override void PostStop()
        {
            if (Interlocked.Exchange(ref _state, Stopped) == Arriving && _arrived is { IsCompletedSuccessfully: true } t)
                _stage._queue.GiveBack(t.Result);
            _cts.Cancel();
        }
    }

    public override string ToString() => "AioQueueSource";
}
