using System.Globalization;

namespace Actors.Asyncio.Examples;

/// <summary>The guide's §3.4 (asyncio.gather): three factorials computed concurrently; the results come back in
/// input order, [2, 6, 24].</summary>
public static class GatherFactorialExample
{
    /// <summary>asyncio's <c>factorial(name, number)</c>: one multiplication per 0.1 s of loop time.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="name">The task's label.</param>
    /// <param name="number">Whose factorial to compute.</param>
    public static async Task<int> Factorial(TextWriter output, string name, int number)
    {
        int f = 1;
        for (int i = 2; i <= number; i++)
        {
            output.WriteLine($"Task {name}: computing factorial({i})...");
            await Aio.Sleep(0.1);   // stands for a slow computation or I/O
            f *= i;
        }
        output.WriteLine($"Task {name}: factorial({number}) = {f}");
        return f;
    }

    /// <summary>The guide's <c>main()</c>: gathers factorial("A", 2), ("B", 3) and ("C", 4).</summary>
    /// <param name="output">Where the example prints.</param>
    /// <returns>The gathered results, in input order.</returns>
    public static async Task<int[]> RunAsync(TextWriter output)
    {
        var loop = Aio.GetRunningLoop();
        double t0 = loop.Time();
        output.WriteLine("started at t=0.0 s");

        // Each delegate becomes a task (asyncio.gather wraps coroutines in tasks), all three run concurrently, and
        // the gather future completes when the last one does.
        int[] results = await Aio.Gather(
            () => Factorial(output, "A", 2),
            () => Factorial(output, "B", 3),
            () => Factorial(output, "C", 4));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"all tasks done at t={loop.Time() - t0:F1} s"));
        output.WriteLine($"results: [{string.Join(", ", results)}]");
        return results;
    }
}
