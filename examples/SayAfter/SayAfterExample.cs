using System.Globalization;

namespace Actors.Asyncio.Examples;

/// <summary>The guide's §3.1 (async and await): <c>say_after</c> awaited twice in sequence, about 3 s in all.</summary>
public static class SayAfterExample
{
    /// <summary>asyncio's <c>say_after(delay, what)</c>: sleeps <paramref name="delay"/> seconds of loop time, prints
    /// <paramref name="what"/> and returns "<paramref name="what"/> done".</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="delay">Seconds to sleep.</param>
    /// <param name="what">The word to print.</param>
    public static async Task<string> SayAfter(TextWriter output, double delay, string what)
    {
        await Aio.Sleep(delay);
        output.WriteLine(what);
        return $"{what} done";
    }

    /// <summary>The guide's <c>main()</c>: awaits <c>say_after(1, 'hello')</c> then <c>say_after(2, 'world')</c>.
    /// Run it on a loop (<c>Aio.Run</c>, or a test kit's <c>RunAsync</c>).</summary>
    /// <param name="output">Where the example prints.</param>
    /// <returns>The loop time the two sequential awaits took (about 3 s).</returns>
    public static async Task<double> RunAsync(TextWriter output)
    {
        var loop = Aio.GetRunningLoop();
        double t0 = loop.Time();
        output.WriteLine(Invariant($"started at t={loop.Time() - t0:F1} s"));

        // Calling a Python coroutine function only creates a coroutine object; calling a C# async method starts it.
        // A delegate is the C# spelling of "a coroutine not started yet".
        Func<Task<string>> coro1 = () => SayAfter(output, 1, "hello");
        Func<Task<string>> coro2 = () => SayAfter(output, 2, "world");

        // Awaiting one after the other: the second starts only when the first is done, so 1 s + 2 s.
        string result1 = await coro1();
        string result2 = await coro2();

        output.WriteLine(result1);
        output.WriteLine(result2);
        double elapsed = loop.Time() - t0;
        output.WriteLine(Invariant($"finished at t={elapsed:F1} s"));
        return elapsed;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
