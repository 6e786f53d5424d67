using Xunit;
using Xunit.Abstractions;
using static Actors.Asyncio.Tests.Combinators.CombinatorTestHelpers;

namespace Actors.Asyncio.Tests.Combinators;

public class AsCompletedSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task AsCompleted_YieldsOriginalTasks_InCompletionOrder()   // asyncio AC1, AC2, test_as_completed, test_as_completed_same_tasks_in_as_out
    {
        var (values, same) = await RunAsync(async () =>
        {
            var tasks = new List<AioTask<int>>
            {
                Aio.CreateTask(() => After(0.3, 3)), Aio.CreateTask(() => After(0.1, 1)), Aio.CreateTask(() => After(0.2, 2)),
            };
            var got = new List<int>();
            bool allSame = true;
            await foreach (var next in Aio.AsCompleted(tasks))
            {
                allSame &= tasks.Contains(next);
                int one = await next;
                got.Add(one);
            }
            return (got, allSame);
        });
        Assert.Equal([1, 2, 3], values);
        Assert.True(same);
    }

    [Fact]
    public async Task AsCompleted_Exception_ThrownWhenAwaitingThatOne()   // asyncio AC1
    {
        var log = await RunAsync(async () =>
        {
            var tasks = new[] { Aio.CreateTask(() => FailAfter<int>(0.1, new FormatException())), Aio.CreateTask(() => After(0.2, 2)) };
            var trace = new List<string>();
            await foreach (var next in Aio.AsCompleted(tasks))
            {
                try { trace.Add((await next).ToString()); }
                catch (FormatException) { trace.Add("error"); }
            }
            return string.Join(",", trace);
        });
        Assert.Equal("error,2", log);
    }

    [Fact]
    public async Task AsCompleted_Timeout_ThrowsForWhatIsLeft_TasksNotCancelled()   // asyncio AC3, test_as_completed_with_timeout
    {
        var (got, slowCancelled, elapsed) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            double t0 = loop.Time();
            var fast = Aio.CreateTask(() => After(0.1, 1));
            var slow = Aio.CreateTask(() => After(1.0, 2));
            var results = new List<int>();
            await Assert.ThrowsAsync<TimeoutException>(async () =>
            {
                await foreach (var next in Aio.AsCompleted(new[] { fast, slow }, timeout: 0.5)) results.Add(await next);
            });
            double at = loop.Time() - t0;
            await slow;
            return (results, slow.IsCancelled, at);
        });
        Assert.Equal([1], got);
        Assert.False(slowCancelled);
        Assert.Equal(0.5, elapsed, 6);
    }

    [Fact]
    public async Task AsCompleted_UnusedTimeout_DoesNotFire()   // asyncio test_as_completed_with_unused_timeout
    {
        var n = await RunAsync(async () =>
        {
            int count = 0;
            await foreach (var next in Aio.AsCompleted(new[] { Aio.CreateTask(() => After(0.01, 1)) }, timeout: 1)) count += await next;
            await Aio.Sleep(2);
            return count;
        });
        Assert.Equal(1, n);
    }

    [Fact]
    public async Task AsCompleted_EmptyAndDuplicates()   // asyncio AC4, test_as_completed_duplicate_coroutines
    {
        var (empty, dup) = await RunAsync(async () =>
        {
            int e = 0;
            await foreach (var _ in Aio.AsCompleted(new List<AioTask<int>>())) e++;
            var t = Aio.CreateTask(() => After(0.1, 1));
            int d = 0;
            await foreach (var _ in Aio.AsCompleted(new[] { t, t })) d++;
            return (e, d);
        });
        Assert.Equal(0, empty);
        Assert.Equal(1, dup);
    }

    [Fact]
    public async Task AsCompleted_CompletedBeforeIteration_NotMissed()   // asyncio AC4
    {
        var values = await RunAsync(async () =>
        {
            var tasks = new[] { Aio.CreateTask(() => After(0.2, 2)), Aio.CreateTask(() => After(0.1, 1)) };
            var seq = Aio.AsCompleted(tasks);
            await Aio.Sleep(1);
            var got = new List<int>();
            await foreach (var next in seq) got.Add(await next);
            return got;
        });
        Assert.Equal([1, 2], values);
    }

    [Fact]
    public async Task AsCompleted_Coroutines_RunAsTasks()
    {
        var values = await RunAsync(async () =>
        {
            var got = new List<string>();
            await foreach (var next in Aio.AsCompleted(new Func<Task<string>>[] { () => After(0.2, "b"), () => After(0.1, "a") })) got.Add(await next);
            return got;
        });
        Assert.Equal(["a", "b"], values);
    }

    [Fact]
    public async Task AsCompleted_ConsumerCancelledWhileWaiting_NothingLost()
    {
        var (consumerCancelled, laterValues) = await RunAsync(async () =>
        {
            var tasks = new[] { Aio.CreateTask(() => After(0.2, 1)), Aio.CreateTask(() => After(0.3, 2)) };
            var seq = Aio.AsCompleted(tasks);
            var enumerator = seq.GetAsyncEnumerator();
            var consumer = Aio.CreateTask(async () => await enumerator.MoveNextAsync());
            await Aio.Sleep(0.1);
            consumer.Cancel();
            try { await consumer; } catch (CancelledException) { }
            var got = new List<int>();
            while (await enumerator.MoveNextAsync()) got.Add(await enumerator.Current);
            return (consumer.IsCancelled, got);
        });
        Assert.True(consumerCancelled);
        Assert.Equal([1, 2], laterValues);
    }

    [Fact]
    public async Task AsCompleted_EnumeratedTwice_Throws()
    {
        await RunAsync(async () =>
        {
            var seq = Aio.AsCompleted(new[] { Aio.CreateTask(() => After(0, 1)) });
            await foreach (var next in seq) await next;
            Assert.Throws<InvalidOperationException>(() => seq.GetAsyncEnumerator());
        });
    }
}
