using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Sync;

/// <summary>The routing AioLock and AioSemaphore share (SyncHome): what holds for both kinds alike.</summary>
public class SyncHomeSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    public static TheoryData<string> Kinds => new() { "lock", "semaphore", "bounded" };

    private static Func<CancellationToken, Task<AioReleaser>> Acquirer(string kind) => kind switch
    {
        "lock" => new AioLock().AcquireAsync,
        "semaphore" => new AioSemaphore(2).AcquireAsync,
        _ => new AioBoundedSemaphore(1).AcquireAsync,
    };

    [Theory, MemberData(nameof(Kinds))]   // asyncio L1/S1: the uncontended acquire is synchronous bookkeeping; here it also allocates nothing
    public async Task AcquireAsync_UncontendedOnHomeLoop_AllocatesNothing(string kind)
    {
        await RunAsync(() =>
        {
            var acquire = Acquirer(kind);
            acquire(default).Result.Dispose();   // binds and caches the completed task
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                var t = acquire(default);
                Assert.True(t.IsCompletedSuccessfully);
                t.Result.Dispose();
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            return Task.CompletedTask;
        });
    }

    [Theory, MemberData(nameof(Kinds))]   // unbound: a plain thread may take and give back a free unit without a loop
    public void AcquireAsync_UnboundFromPlainThread_CompletesAtOnce_AndAllocatesNothing(string kind)
    {
        var acquire = Acquirer(kind);
        acquire(default).Result.Dispose();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var t = acquire(default);
        Assert.True(t.IsCompletedSuccessfully);
        t.Result.Dispose();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
