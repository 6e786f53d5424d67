using Akka.Actor;
using static Actors.Asyncio.Examples.CollectorProtocol;

namespace Actors.Asyncio.Examples;

/// <summary>Not in the guide: how asyncio-style tasks and an ordinary Akka actor work together. The actor fills a
/// queue, two worker tasks drain it and tell the actor their results, the actor watches the tasks, the main task asks
/// the actor, and the workers are cancelled with a plain message to their refs; the actor, watching them, reports
/// their end through a second queue.</summary>
public static class ActorInteropExample
{
    /// <summary>A worker task: squares numbers from the queue until cancelled, telling <paramref name="collector"/>.</summary>
    /// <param name="queue">Where the numbers come from.</param>
    /// <param name="collector">Who gets the results.</param>
    public static async Task Worker(AioQueue<int> queue, IActorRef collector)
    {
        string name = Aio.CurrentTask()!.Name;
        while (true)
        {
            int n = await queue.GetAsync();              // a cancelled get never loses an item
            await Aio.Sleep(0.1);                        // simulated work
            collector.Tell(new Squared(name, n, n * n), Aio.CurrentTask()!.Ref);
            queue.TaskDone();
        }
    }

    /// <summary>Runs the interplay described on the class.</summary>
    /// <param name="output">Where the example prints.</param>
    /// <returns>The collector's final summary (sum of squares of 1..6 = 91, 6 results, 2 workers stopped).</returns>
    public static async Task<Summary> RunAsync(TextWriter output)
    {
        var loop = Aio.GetRunningLoop();
        var queue = new AioQueue<int>();
        var events = new AioQueue<string>();
        // loop.DispatcherId puts the actor on the loop's thread, beside the tasks (leave it out and it still works).
        var collector = loop.System.ActorOf(
            Props.Create(() => new CollectorActor(queue, events, output)).WithDispatcher(loop.DispatcherId), "collector");

        var workers = new[]
        {
            Aio.CreateTask(() => Worker(queue, collector), name: "worker-1"),
            Aio.CreateTask(() => Worker(queue, collector), name: "worker-2"),
        };
        foreach (var w in workers)
            collector.Tell(new WatchWorker(w.Ref, w.Name));

        // Ask from a task: the reply resumes this task on the loop thread.
        var queued = await collector.Ask<Queued>(new Submit([1, 2, 3, 4, 5, 6]), TimeSpan.FromSeconds(5));
        output.WriteLine($"main: {queued.Count} numbers queued");
        await queue.JoinAsync();                         // every number squared and reported
        output.WriteLine("main: queue drained");

        foreach (var w in workers)
            w.Ref.Tell(new TaskProtocol.Cancel("no more work"));   // what a remote or plain actor would send
        foreach (var w in workers)
        {
            try { await w; }
            catch (CancelledException e) { output.WriteLine($"main: {w.Name} cancelled ({e.CancelMessage})"); }
        }
        for (int i = 0; i < workers.Length; i++)
            output.WriteLine($"main: the collector saw {await events.GetAsync()}");   // sent from its Terminated handler

        var summary = await collector.Ask<Summary>(new GetSummary(), TimeSpan.FromSeconds(5));
        output.WriteLine($"main: sum of squares = {summary.SumOfSquares} from {summary.Results} results; {summary.WorkersStopped} workers stopped");
        await collector.GracefulStop(TimeSpan.FromSeconds(5));
        return summary;
    }
}
