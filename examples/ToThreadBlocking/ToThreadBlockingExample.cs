namespace Actors.Asyncio.Examples;

/// <summary>The guide's §5 pitfall "do not call blocking I/O in a coroutine", solved: the blocking call runs on the
/// loop's executor with <see cref="Aio.ToThread{T}(Func{T})"/> (asyncio.to_thread / loop.run_in_executor) while a
/// ticker task keeps running on the loop.</summary>
public static class ToThreadBlockingExample
{
    /// <summary>A blocking library call (the guide's <c>time.sleep()</c> / <c>requests.get()</c>): it holds its
    /// thread for <paramref name="duration"/>.</summary>
    /// <param name="duration">How long the call blocks.</param>
    /// <returns>The data "read" and the managed id of the thread that ran the call.</returns>
    public static (string Data, int ThreadId) BlockingRead(TimeSpan duration)
    {
        Thread.Sleep(duration);
        return ("42 bytes", Environment.CurrentManagedThreadId);
    }

    /// <summary>Runs <see cref="BlockingRead"/> off the loop and, meanwhile, a task that ticks every 0.2 s.</summary>
    /// <param name="output">Where the example prints.</param>
    /// <param name="blockFor">How long the blocking call blocks (default 1 s).</param>
    /// <returns>True when the blocking call ran on a thread other than the loop's.</returns>
    public static async Task<bool> RunAsync(TextWriter output, TimeSpan? blockFor = null)
    {
        var duration = blockFor ?? TimeSpan.FromSeconds(1);
        int loopThread = Environment.CurrentManagedThreadId;

        AioTask ticker = Aio.CreateTask(async () =>
        {
            for (int i = 1; i <= 3; i++)
            {
                await Aio.Sleep(0.2);
                output.WriteLine($"tick {i}: the loop is free");
            }
        });

        output.WriteLine("calling the blocking function with Aio.ToThread...");
        // Calling BlockingRead directly here would freeze the loop: no tick, no other task, no I/O until it returns
        // (debug mode names the culprit: "Executing <task> took 1.000 seconds").
        var (data, thread) = await Aio.ToThread(() => BlockingRead(duration));
        bool offLoop = thread != loopThread;
        output.WriteLine($"blocking call returned {data}; it ran off the loop thread: {offLoop}");

        await ticker;
        output.WriteLine("done");
        return offLoop;
    }
}
