namespace Actors.Asyncio.Examples;

/// <summary>The guide's §3.6 (futures): a task sets a future's result after 1 s while <c>main</c> awaits it.</summary>
public static class FutureSetAfterExample
{
    /// <summary>asyncio's <c>set_after(fut, delay, value)</c>: sleeps, then completes <paramref name="future"/>.</summary>
    /// <param name="future">The future to complete.</param>
    /// <param name="delay">Seconds to sleep first.</param>
    /// <param name="value">The future's result.</param>
    public static async Task SetAfter(AioFuture<string> future, double delay, string value)
    {
        await Aio.Sleep(delay);
        future.SetResult(value);
    }

    /// <summary>The guide's <c>main()</c>: creates a future on the running loop, schedules <see cref="SetAfter"/> and
    /// awaits the future.</summary>
    /// <param name="output">Where the example prints.</param>
    /// <returns>The future's result.</returns>
    public static async Task<string> RunAsync(TextWriter output)
    {
        var loop = Aio.GetRunningLoop();          // asyncio.get_running_loop()
        AioFuture<string> fut = loop.CreateFuture<string>();

        // The loop keeps a reference to every pending task, so fire-and-forget is safe here.
        _ = Aio.CreateTask(() => SetAfter(fut, 1, "... future result ..."));

        output.WriteLine("waiting for the future...");
        string result = await fut;
        output.WriteLine(result);
        return result;
    }
}
