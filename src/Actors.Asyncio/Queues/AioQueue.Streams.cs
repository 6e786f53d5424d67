using Actors.Asyncio.Internal;
using Akka;
using Akka.Streams.Dsl;

namespace Actors.Asyncio;

// Akka.Streams interop: a queue as a sink and as a source, both with backpressure.
public partial class AioQueue<T>
{
    /// <summary>A sink that puts every element into the queue with <see cref="PutAsync"/>, one at a time: while the
    /// queue is full the stream is backpressured. The materialized task completes when the stream completes, and fails
    /// with the stream's error or with <see cref="QueueShutDownException"/> if the queue is shut down. Binds the queue
    /// to the current loop if none owns it yet.</summary>
    /// <exception cref="InvalidOperationException">Called from a plain thread before any loop used the queue.</exception>
    public Sink<T, Task> AsSink()
    {
        Home(nameof(AsSink));
        return Sink.ForEachAsync<T>(1, item => PutAsync(item)).MapMaterializedValue(done => (Task)done);
    }

    /// <summary>A source that takes items from the queue with <see cref="GetAsync"/>, one per downstream demand (no
    /// demand, no get). It completes when the queue is shut down and drained. Cancelling the stream withdraws the
    /// pending get, and an item already on its way goes back to the head of the queue, so none is lost. Binds the queue
    /// to the current loop if none owns it yet.</summary>
    /// <exception cref="InvalidOperationException">Called from a plain thread before any loop used the queue.</exception>
    public Source<T, NotUsed> AsSource()
    {
        Home(nameof(AsSource));
        return Source.FromGraph(new QueueSourceStage<T>(this));
    }

    /// <summary>Returns an item taken by a consumer that can no longer use it to the head of the queue. Any thread.</summary>
    internal void GiveBack(T item)
    {
        var home = _home!;
        if (home.IsOnLoopThread) { ReturnItem(item); return; }
        var carrier = new QueueGetWaiter<T>(home, this) { Refused = item };
        home.PostThreadsafe(new ReadyItem(QueueWork<T>.Of(QueueOp.ReturnRefused), this, carrier));
    }
}
