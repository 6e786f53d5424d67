namespace Actors.Asyncio.Examples;

/// <summary>The guide's §5 (cancellation): a task that loops forever is cancelled after 3 s; it catches
/// <see cref="CancelledException"/>, cleans up and rethrows, and <c>main</c> sees the cancellation when it awaits it.</summary>
public static class CancellationCleanupExample
{
    /// <summary>asyncio's <c>my_task()</c>: prints once a second until cancelled, then cleans up and rethrows.</summary>
    /// <param name="output">Where to print.</param>
    public static async Task MyTask(TextWriter output)
    {
        try
        {
            while (true)
            {
                output.WriteLine("task running...");
                await Aio.Sleep(1);
            }
        }
        catch (CancelledException)
        {
            output.WriteLine("task cancelled, cleaning up...");
            // Clean-up goes here (close files, release what the task holds). Then rethrow: swallowing the
            // cancellation would make the task finish normally, and whoever cancelled it could not tell.
            throw;
        }
    }

    /// <summary>The guide's commented-out driver: start <see cref="MyTask"/>, sleep 3 s, cancel it, await it.</summary>
    /// <param name="output">Where the example prints.</param>
    /// <returns>The cancelled task.</returns>
    public static async Task<IAioTask> RunAsync(TextWriter output)
    {
        AioTask task = Aio.CreateTask(() => MyTask(output));
        await Aio.Sleep(3);
        task.Cancel();
        try
        {
            await task;
        }
        catch (CancelledException)   // also an OperationCanceledException, as .NET code expects
        {
            output.WriteLine("main caught the task's cancellation");
        }
        return task;
    }
}
