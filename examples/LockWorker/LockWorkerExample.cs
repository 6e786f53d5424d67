namespace Actors.Asyncio.Examples;

/// <summary>The guide's §4.1 (asyncio.Lock): five workers increment a shared counter with a read-sleep-write
/// sequence; the lock makes it end at 5 instead of losing updates.</summary>
public static class LockWorkerExample
{
    /// <summary>The guide's <c>main()</c>: gathers five <c>worker(i)</c> coroutines sharing one lock.</summary>
    /// <param name="output">Where the example prints.</param>
    /// <returns>The final value of the shared resource (5).</returns>
    public static async Task<int> RunAsync(TextWriter output)
    {
        // The guide's module globals (lock, shared_resource) are locals here so that each run starts afresh.
        var @lock = new AioLock();
        int sharedResource = 0;

        async Task<int> Worker(int workerId)
        {
            output.WriteLine($"Worker {workerId} trying to acquire the lock");
            using (await @lock.AcquireAsync())   // async with lock: released when the block exits, even on error
            {
                output.WriteLine($"Worker {workerId} acquired the lock");
                int currentVal = sharedResource;
                await Aio.Sleep(0.1);            // without the lock, every worker would read 0 here
                sharedResource = currentVal + 1;
                output.WriteLine($"Worker {workerId} releasing the lock, shared_resource = {sharedResource}");
                return sharedResource;
            }
        }

        await Aio.Gather(Enumerable.Range(0, 5).Select(i => (Func<Task<int>>)(() => Worker(i))).ToArray());
        output.WriteLine($"final shared_resource = {sharedResource}");
        return sharedResource;
    }
}
