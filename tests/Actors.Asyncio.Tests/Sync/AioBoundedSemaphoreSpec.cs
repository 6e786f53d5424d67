using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Sync;

public class AioBoundedSemaphoreSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]   // asyncio BS1, test_locks.SemaphoreTests.test_release_not_acquired
    public async Task Release_Fresh_ThrowsInvalidOperation()
    {
        await RunAsync(() =>
        {
            var sem = new AioBoundedSemaphore();
            var e = Assert.Throws<InvalidOperationException>(() => sem.Release());
            Assert.Matches(@"^Cannot release <AioBoundedSemaphore #\d+ \[unlocked, value:1\]>: it was released more times than it was acquired", e.Message);
            return Task.CompletedTask;
        });
    }

    [Fact]   // asyncio BS1: otherwise it behaves like a Semaphore
    public async Task Release_AfterAcquire_Works_ASecondTimeThrows()
    {
        await RunAsync(async () =>
        {
            var sem = new AioBoundedSemaphore(2);
            await sem.AcquireAsync();
            await sem.AcquireAsync();
            Assert.True(sem.IsLocked);
            var w = Aio.CreateTask(async () => { using (await sem.AcquireAsync()) { } });
            await Aio.Sleep(0);
            sem.Release();   // goes to the waiter, which gives it back
            await w;
            sem.Release();
            Assert.Equal(2, sem.Value);
            Assert.Throws<InvalidOperationException>(() => sem.Release());
        });
    }

    [Fact]
    public void Constructor_NegativeValue_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new AioBoundedSemaphore(-2));

    [Fact]   // off the home loop the over-release is seen locally and thrown there
    public async Task Release_FromAnotherLoop_BeyondTheBound_Throws()
    {
        await using var second = AioEventLoop.Create(Sys, "second");
        var sem = new AioBoundedSemaphore(1);
        await RunAsync(async () => { using (await sem.AcquireAsync()) { } });
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.RunAsync(() => { sem.Release(); return Task.CompletedTask; }));
    }
}
