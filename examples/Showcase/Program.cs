using System.Diagnostics;
using System.Globalization;
using Actors.Asyncio;
using Actors.Asyncio.Examples;
using Akka.Actor;
using Akka.Configuration;

// A tour of every example under examples/, in the order of the asyncio guide they port. Each one also runs alone:
// dotnet run --project examples/<Name>.
//
// The guide's sleeps add up to about 20 s, so the three longest examples (marked "virtual clock") run on a loop whose
// clock jumps to the next timer whenever nothing can run -- the clock AioTestKit uses -- and take no real time;
// their output is the same. Pass --real to run everything in real time.
bool allReal = args.Contains("--real");

Step[] tour =
[
    new("SayAfter", "async/await in sequence, about 3 s", "§3.1", false, o => SayAfterExample.RunAsync(o)),
    new("CreateTaskConcurrent", "two tasks at once, about 2 s", "§3.3", false, o => CreateTaskConcurrentExample.RunAsync(o)),
    new("GatherFactorial", "Aio.Gather: results in input order", "§3.4", false, o => GatherFactorialExample.RunAsync(o)),
    new("WaitFirstCompleted", "Aio.Wait: all, then the first and cancel the rest", "§3.5", true, o => WaitFirstCompletedExample.RunAsync(o)),
    new("FutureSetAfter", "a future completed by another task", "§3.6", false, o => FutureSetAfterExample.RunAsync(o)),
    new("LockWorker", "AioLock: five workers, one shared counter", "§4.1", false, o => LockWorkerExample.RunAsync(o)),
    new("ProducerConsumer", "AioQueue(maxSize: 5) and a null sentinel", "§4.2", true, o => ProducerConsumerExample.RunAsync(o)),
    new("Subprocess", "Aio.CreateSubprocessExec and CommunicateAsync", "§4.3", false, o => SubprocessExample.RunAsync(o)),
    new("EchoServer", "Aio.StartServer and Aio.OpenConnection over Akka.IO", "§4.4", false, o => EchoServerExample.RunAsync(o)),
    new("CancellationCleanup", "cancel a task that cleans up and rethrows", "§5", true, o => CancellationCleanupExample.RunAsync(o)),
    new("ToThreadBlocking", "a blocking call moved off the loop with Aio.ToThread", "§5", false, o => ToThreadBlockingExample.RunAsync(o)),
    new("ActorInterop", "an Akka ReceiveActor, two tasks and a queue", "none: not in the guide", false, o => ActorInteropExample.RunAsync(o)),
];

// Aio.Run(main) is all a program needs (each example's Program.cs uses it). The tour hosts its loops in an actor
// system of its own instead, to show the actor-app form (API §9) and to keep Akka's info log out of the output.
var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING")
    .WithFallback(AioConfig.Default);
var system = ActorSystem.Create("showcase", config);
var total = Stopwatch.StartNew();
try
{
    await using var realLoop = AioEventLoop.Create(system, "main");
    await using var virtualLoop = AioEventLoop.Create(system, "virtual", new RunOptions { VirtualTime = true });
    for (int i = 0; i < tour.Length; i++)
    {
        var step = tour[i];
        bool onVirtual = step.Long && !allReal;
        var loop = onVirtual ? virtualLoop : realLoop;
        Console.WriteLine();
        Console.WriteLine($"=== {i + 1}. {step.Name} — {step.Summary} (guide: {step.Section}){(onVirtual ? " [virtual clock]" : "")}");
        var sw = Stopwatch.StartNew();
        double t0 = loop.Time();
        await loop.RunAsync(() => step.Run(Console.Out));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"--- {loop.Time() - t0:F2} s of loop time, {sw.Elapsed.TotalSeconds:F2} s of real time"));
    }
}
finally
{
    await system.Terminate();
}
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Tour done in {total.Elapsed.TotalSeconds:F1} s."));

/// <summary>One stop of the tour.</summary>
internal sealed record Step(string Name, string Summary, string Section, bool Long, Func<TextWriter, Task> Run);
