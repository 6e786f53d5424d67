using Actors.Asyncio.Examples;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Examples;

public class LockWorkerSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task RunAsync_FiveWorkers_EndWithSharedResourceFiveInFifoOrder()   // guide §4.1, asyncio L1 (FIFO)
    {
        var printed = new StringWriter();
        var (shared, elapsed) = await RunAsync(async () =>
        {
            double t0 = Loop.Time();
            int r = await LockWorkerExample.RunAsync(printed);
            return (r, Loop.Time() - t0);
        });

        Assert.Equal(5, shared);
        Assert.Equal(0.5, elapsed, 3);   // the lock serialises the five 0.1 s critical sections
        var lines = SayAfterSpec.Lines(printed);
        Assert.Equal("final shared_resource = 5", lines[^1]);
        // Acquired first come, first served, and each one sees the previous worker's write.
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"Worker {i} acquired the lock"),
            lines.Where(l => l.EndsWith("acquired the lock", StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"Worker {i} releasing the lock, shared_resource = {i + 1}"),
            lines.Where(l => l.Contains("releasing", StringComparison.Ordinal)));
    }
}
