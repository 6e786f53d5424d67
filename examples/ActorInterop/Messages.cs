using Akka.Actor;

namespace Actors.Asyncio.Examples;

/// <summary>The messages of <see cref="CollectorActor"/>: plain records, as any Akka protocol.</summary>
public static class CollectorProtocol
{
    /// <summary>Queue these numbers for the workers; replied to with <see cref="Queued"/>.</summary>
    public sealed record Submit(IReadOnlyList<int> Numbers);

    /// <summary>The numbers of a <see cref="Submit"/> are in the queue.</summary>
    public sealed record Queued(int Count);

    /// <summary>Watch this worker task (its <see cref="IAioTask.Ref"/>) and count it when it stops.</summary>
    public sealed record WatchWorker(IActorRef Worker, string Name);

    /// <summary>A worker task's result for one number.</summary>
    public sealed record Squared(string Worker, int Number, int Square);

    /// <summary>Reply with a <see cref="Summary"/>.</summary>
    public sealed record GetSummary;

    /// <summary>What the collector saw: the sum of the squares, how many results, how many workers stopped.</summary>
    public sealed record Summary(int SumOfSquares, int Results, int WorkersStopped);
}
