using Akka.Actor;
using static Actors.Asyncio.Examples.CollectorProtocol;

namespace Actors.Asyncio.Examples;

/// <summary>An ordinary Akka <see cref="ReceiveActor"/> that feeds an <see cref="AioQueue{T}"/> read by tasks, gets
/// their results as messages, watches the tasks like any other actor and reports their end through a second queue.</summary>
public sealed class CollectorActor : ReceiveActor
{
    private int _sum;
    private int _results;
    private int _stopped;

    /// <summary>Creates the collector.</summary>
    /// <param name="queue">The queue the worker tasks read. Non-blocking members such as <c>PutNoWait</c> are safe
    /// from an actor on any dispatcher; this example puts the actor on the loop's own dispatcher anyway, so it runs
    /// on the loop thread in turn with the tasks.</param>
    /// <param name="events">Where the collector reports each watched task that stopped, for a task to await.</param>
    /// <param name="output">Where to print.</param>
    public CollectorActor(AioQueue<int> queue, AioQueue<string> events, TextWriter output)
    {
        Receive<Submit>(m =>
        {
            foreach (int n in m.Numbers)
                queue.PutNoWait(n);                      // unbounded queue: never full
            output.WriteLine($"collector: queued {m.Numbers.Count} numbers");
            Sender.Tell(new Queued(m.Numbers.Count));
        });
        Receive<WatchWorker>(m =>
        {
            Context.WatchWith(m.Worker, new WorkerStopped(m.Name));   // a task's Ref is watchable like any actor
        });
        Receive<Squared>(m =>
        {
            _sum += m.Square;
            _results++;
            output.WriteLine($"collector: {m.Worker} says {m.Number}^2 = {m.Square}");
        });
        Receive<WorkerStopped>(m =>
        {
            _stopped++;
            events.PutNoWait($"{m.Name} stopped");
        });
        Receive<GetSummary>(_ => Sender.Tell(new Summary(_sum, _results, _stopped)));
    }

    private sealed record WorkerStopped(string Name);
}
