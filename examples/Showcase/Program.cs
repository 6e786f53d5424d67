using System.Diagnostics;
using Actors.Asyncio;

// The seed guide's first examples (§3.1-3.3): say_after awaited in sequence, then as concurrent tasks.
static async Task<string> SayAfter(double delay, string what)
{
    await Aio.Sleep(delay);
    Console.WriteLine(what);
    return what;
}

Aio.Run(async () =>
{
    var loop = Aio.GetRunningLoop();
    double t0 = loop.Time();
    Console.WriteLine($"started at {DateTime.Now:HH:mm:ss}");
    await SayAfter(1, "hello");
    await SayAfter(2, "world");
    Console.WriteLine($"finished at {DateTime.Now:HH:mm:ss}: sequential awaits took {loop.Time() - t0:F1} s");

    t0 = loop.Time();
    var task1 = Aio.CreateTask(() => SayAfter(1, "hello"));
    var task2 = Aio.CreateTask(() => SayAfter(2, "world"));
    await task1;
    await task2;
    Console.WriteLine($"finished at {DateTime.Now:HH:mm:ss}: concurrent tasks took {loop.Time() - t0:F1} s");
});
