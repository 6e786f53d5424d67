using System.Globalization;

namespace Actors.Asyncio.Examples;

/// <summary>The guide's §3.3 (tasks): two <c>say_after</c> coroutines wrapped in tasks run concurrently, about 2 s
/// in all instead of 3.</summary>
public static class CreateTaskConcurrentExample
{
    /// <summary>asyncio's <c>say_after(delay, what)</c> of §3.3: sleeps, prints <paramref name="what"/> and returns
    /// "<paramref name="what"/> processed".</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="delay">Seconds to sleep.</param>
    /// <param name="what">The word to print.</param>
    public static async Task<string> SayAfter(TextWriter output, double delay, string what)
    {
        await Aio.Sleep(delay);
        output.WriteLine(what);
        return $"{what} processed";
    }

    /// <summary>The guide's <c>main()</c>: creates both tasks, then awaits them one by one.</summary>
    /// <param name="output">Where the example prints.</param>
    /// <returns>The loop time the two concurrent tasks took (about 2 s).</returns>
    public static async Task<double> RunAsync(TextWriter output)
    {
        var loop = Aio.GetRunningLoop();
        double t0 = loop.Time();
        output.WriteLine(Invariant($"started at t={loop.Time() - t0:F1} s"));

        // asyncio.create_task: both tasks are scheduled now and start on the loop's next iteration.
        AioTask<string> task1 = Aio.CreateTask(() => SayAfter(output, 1, "hello"));
        AioTask<string> task2 = Aio.CreateTask(() => SayAfter(output, 2, "world"));

        // Awaiting task1 suspends main until task1 is done; task2 keeps running meanwhile.
        string result1 = await task1;
        output.WriteLine($"Task 1 returned: {result1}");
        string result2 = await task2;
        output.WriteLine($"Task 2 returned: {result2}");

        double elapsed = loop.Time() - t0;
        output.WriteLine(Invariant($"finished at t={elapsed:F1} s"));
        return elapsed;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
