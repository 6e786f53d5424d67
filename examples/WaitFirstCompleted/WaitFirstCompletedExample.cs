namespace Actors.Asyncio.Examples;

/// <summary>The guide's §3.5 (asyncio.wait): waiting for all tasks, then, with fresh tasks, for the first one only
/// (<see cref="ReturnWhen.FirstCompleted"/>) and cancelling the rest.</summary>
public static class WaitFirstCompletedExample
{
    /// <summary>asyncio's <c>my_coro(delay, name)</c>.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="delay">Seconds to sleep.</param>
    /// <param name="name">The coroutine's label.</param>
    public static async Task<string> MyCoro(TextWriter output, double delay, string name)
    {
        await Aio.Sleep(delay);
        output.WriteLine($"{name} done");
        return $"{name} result";
    }

    private static List<AioTask<string>> CreateTasks(TextWriter output) =>
    [
        Aio.CreateTask(() => MyCoro(output, 1, "Task 1"), name: "Task 1"),
        Aio.CreateTask(() => MyCoro(output, 3, "Task 2"), name: "Task 2"),
        Aio.CreateTask(() => MyCoro(output, 0.5, "Task 3"), name: "Task 3"),
    ];

    /// <summary>The guide's <c>main()</c> with its commented-out FIRST_COMPLETED part switched on.</summary>
    /// <param name="output">Where the example prints.</param>
    /// <returns>The results of the tasks that completed first in the second part.</returns>
    public static async Task<IReadOnlyList<string>> RunAsync(TextWriter output)
    {
        var tasks = CreateTasks(output);
        var (done, _) = await Aio.Wait(tasks);   // ALL_COMPLETED
        output.WriteLine("all tasks done:");
        // done is a set (no order); list it in the input order so the output is stable.
        foreach (var task in tasks.Where(done.Contains))
            output.WriteLine($" - {task.Result}");

        // Tasks run once: make new ones for the second wait, as the guide's comment says.
        tasks = CreateTasks(output);
        var (doneFirst, pendingFirst) = await Aio.Wait(tasks, returnWhen: ReturnWhen.FirstCompleted);
        output.WriteLine("first task done:");
        var first = tasks.Where(doneFirst.Contains).Select(t => t.Result).ToList();
        foreach (var result in first)
            output.WriteLine($" - {result}");

        // Wait never cancels what is still pending: that is the caller's decision.
        foreach (var task in pendingFirst)
            task.Cancel();
        // Let the cancellations land (Wait never throws for the tasks' outcomes) and show them.
        await Aio.Wait(pendingFirst);
        foreach (var task in tasks.Where(pendingFirst.Contains))
            output.WriteLine($" - {task.Name} cancelled: {task.IsCancelled}");
        return first;
    }
}
