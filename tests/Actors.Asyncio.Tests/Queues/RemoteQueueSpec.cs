using System.Runtime.Serialization;
using Akka.Actor;
using Xunit;

namespace Actors.Asyncio.Tests.Queues;

/// <summary>AioQueue.Publish / OpenAsync across actor systems over Akka.Remote (real TCP on 127.0.0.1).</summary>
[Collection(SocketsCollection.Name)]
public class RemoteQueueSpec
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Guard;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting for " + what);
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task PutGetTaskDoneJoin_AcrossSystems_BehaveAsOneQueue()
    {
        await using var nodes = new RemoteNodes();
        var (hostSys, hostLoop) = nodes.Start("host");
        var (sys, loop) = nodes.Start("client");
        var q = new AioQueue<string>(maxSize: 10, loop: hostLoop);
        q.Publish("jobs");

        await loop.RunAsync(async () =>
        {
            var remote = await AioQueue<string>.OpenAsync(sys, "jobs", RemoteNodes.AddressOf(hostSys));
            Assert.True(remote.IsRemote);
            Assert.Equal(10, remote.MaxSize);
            await remote.PutAsync("a");
            await remote.PutAsync("b");
            await remote.PutAsync("c");
            Assert.Equal(3, remote.Count);           // snapshot carried by the reply
            Assert.Equal(3, remote.UnfinishedTasks);
            Assert.Equal("a", await remote.GetAsync());
            Assert.Equal("b", await remote.GetAsync());
            Assert.Equal("c", await remote.GetAsync());
            var join = remote.JoinAsync();
            remote.TaskDone();
            remote.TaskDone();
            Assert.False(join.IsCompleted);
            remote.TaskDone();
            await join.WaitAsync(Guard);
            // The handle got three items and marked three: a fourth TaskDone is refused locally.
            Assert.Throws<InvalidOperationException>(remote.TaskDone);
            Assert.Contains("jobs", remote.ToString());
        }).WaitAsync(Guard);
        Assert.Equal(0, q.Count);
        Assert.Equal(0, q.UnfinishedTasks);
    }

    [Fact]   // the host actor lives on the home loop's dispatcher: closing the loop stops it before the thread exits,
             // so the system terminates at once instead of waiting out CoordinatedShutdown's 10 s for it
    public async Task HomeLoopClose_StopsTheHost_AndTheSystemTerminatesPromptly()
    {
        for (int i = 0; i < 5; i++)
        {
            var system = ActorSystem.Create("published" + i, AioConfig.Default);
            var loop = AioEventLoop.Create(system, "home");
            var q = new AioQueue<string>(maxSize: 10, loop: loop);
            q.Publish("jobs");
            await loop.RunAsync(() => q.PutAsync("x")).WaitAsync(Guard);
            await loop.DisposeAsync();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            await system.Terminate().WaitAsync(Guard);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"round {i}: the actor system took {sw.Elapsed.TotalSeconds:0.0} s to terminate");
        }
    }

    [Fact]
    public async Task PutAsync_HostQueueFull_WaitsAcrossTheNetworkUntilAGetFreesASlot()
    {
        await using var nodes = new RemoteNodes();
        var (hostSys, hostLoop) = nodes.Start("host");
        var (sys, loop) = nodes.Start("client");
        var q = new AioQueue<int>(maxSize: 2, loop: hostLoop);
        q.Publish("jobs");

        var third = await loop.RunAsync(async () =>
        {
            var remote = await AioQueue<int>.OpenAsync(sys, "jobs", RemoteNodes.AddressOf(hostSys));
            await remote.PutAsync(1);
            await remote.PutAsync(2);
            return remote.PutAsync(3);
        }).WaitAsync(Guard);
        await Eventually(() => q.PutterCount == 1, "the remote putter to park on the host");
        Assert.False(third.IsCompleted);
        Assert.Equal(1, await hostLoop.RunAsync(async () => await q.GetAsync()));
        await third.WaitAsync(Guard);
        Assert.Equal(new[] { 2, 3 }, await hostLoop.RunAsync(async () => new[] { await q.GetAsync(), await q.GetAsync() }));
    }

    [Fact]
    public async Task GetAsync_SeveralRemoteGetters_ServedFirstInFirstOut()
    {
        // asyncio Q2, test_queues.test_get_with_putters (FIFO waiters), across the network
        await using var nodes = new RemoteNodes();
        var (hostSys, hostLoop) = nodes.Start("host");
        var (sys, loop) = nodes.Start("client");
        var q = new AioQueue<int>(loop: hostLoop);
        q.Publish("jobs");

        var gets = await loop.RunAsync(async () =>
        {
            var remote = await AioQueue<int>.OpenAsync(sys, "jobs", RemoteNodes.AddressOf(hostSys));
            return Enumerable.Range(0, 3).Select(_ => remote.GetAsync().AsTask()).ToArray();
        }).WaitAsync(Guard);
        await Eventually(() => q.GetterCount == 3, "three remote getters to park on the host");
        await hostLoop.RunAsync(async () => { for (int i = 1; i <= 3; i++) await q.PutAsync(i); });
        Assert.Equal(new[] { 1, 2, 3 }, await Task.WhenAll(gets).WaitAsync(Guard));
    }

    [Fact]
    public async Task GetAsync_CancelledWhileParked_LosesNoItem()
    {
        // asyncio Q5, test_queues.test_cancelled_getters_not_being_held_in_self_getters, across the network
        await using var nodes = new RemoteNodes();
        var (hostSys, hostLoop) = nodes.Start("host");
        var (sys, loop) = nodes.Start("client");
        var q = new AioQueue<int>(loop: hostLoop);
        q.Publish("jobs");

        var got = await loop.RunAsync(async () =>
        {
            var remote = await AioQueue<int>.OpenAsync(sys, "jobs", RemoteNodes.AddressOf(hostSys));
            var results = new List<int>();
            for (int round = 0; round < 20; round++)
            {
                // Cancel a parked get at varying moments, including while the host is handing it the item.
                using var cts = new CancellationTokenSource();
                var get = remote.GetAsync(cts.Token).AsTask();
                var put = hostLoop.RunAsync(async () => await q.PutAsync(round));
                if (round % 2 == 0) await Task.Delay(round % 4);
                cts.Cancel();
                try { results.Add(await get); } catch (OperationCanceledException) { }
                await put;
            }
            // Whatever the cancelled gets did not return is still in the queue, in order.
            while (results.Count < 20) results.Add(await remote.GetAsync());
            return results;
        }).WaitAsync(Guard);
        Assert.Equal(Enumerable.Range(0, 20), got.Order());
        Assert.Equal(0, q.Count);
    }

    private sealed class NotSerializable
    {
        public int Value => throw new InvalidOperationException("not today");
    }

    [Fact]
    public async Task PutAsync_ItemAkkaCannotSerialize_FailsClearlyAndSendsNothing()
    {
        await using var nodes = new RemoteNodes();
        var (hostSys, hostLoop) = nodes.Start("host");
        var (sys, loop) = nodes.Start("client");
        var q = new AioQueue<object>(loop: hostLoop);
        q.Publish("jobs");

        await loop.RunAsync(async () =>
        {
            var remote = await AioQueue<object>.OpenAsync(sys, "jobs", RemoteNodes.AddressOf(hostSys));
            var e = await Assert.ThrowsAsync<SerializationException>(() => remote.PutAsync(new NotSerializable()));
            Assert.Contains(nameof(NotSerializable), e.Message);
            Assert.Contains("serialization-bindings", e.Message);
            await remote.PutAsync("fine");   // the handle still works
        }).WaitAsync(Guard);
        Assert.Equal(1, q.Count);
        Assert.Equal(1, q.UnfinishedTasks);
    }

    [Fact]
    public async Task PendingOps_HostStops_FailWithQueueShutDown()
    {
        await using var nodes = new RemoteNodes();
        var (hostSys, hostLoop) = nodes.Start("host");
        var (sys, loop) = nodes.Start("client");
        var q = new AioQueue<int>(loop: hostLoop);
        q.Publish("jobs");

        var (remote, get) = await loop.RunAsync(async () =>
        {
            var remote = await AioQueue<int>.OpenAsync(sys, "jobs", RemoteNodes.AddressOf(hostSys));
            return (remote, remote.GetAsync().AsTask());
        }).WaitAsync(Guard);
        await Eventually(() => q.GetterCount == 1, "the remote getter to park");
        q.Unpublish();
        var e = await Assert.ThrowsAsync<QueueShutDownException>(() => get.WaitAsync(Guard));
        Assert.Contains("host", e.Message);
        Assert.True(remote.IsShutDown);
        await loop.RunAsync(async () => await Assert.ThrowsAsync<QueueShutDownException>(() => remote.PutAsync(1)));
    }

    [Fact]
    public async Task Shutdown_FromHandle_ShutsTheHostQueueDown()
    {
        await using var nodes = new RemoteNodes();
        var (hostSys, hostLoop) = nodes.Start("host");
        var (sys, loop) = nodes.Start("client");
        var q = new AioQueue<int>(loop: hostLoop);
        q.Publish("jobs");
        await loop.RunAsync(async () =>
        {
            var remote = await AioQueue<int>.OpenAsync(sys, "jobs", RemoteNodes.AddressOf(hostSys));
            await remote.PutAsync(7);
            remote.Shutdown();
            Assert.True(remote.IsShutDown);
            await Assert.ThrowsAsync<QueueShutDownException>(() => remote.PutAsync(8));
            Assert.Equal(7, await remote.GetAsync());     // gets drain, then raise (asyncio 3.13)
            await Assert.ThrowsAsync<QueueShutDownException>(() => remote.GetAsync().AsTask());
        }).WaitAsync(Guard);
        Assert.True(q.IsShutDown);
    }

    [Fact]
    public async Task PublishAndOpen_BadUse_ThrowClearExceptions()
    {
        await using var nodes = new RemoteNodes();
        var (hostSys, hostLoop) = nodes.Start("host", "actors.asyncio.remote-queue.open-timeout = 1s");
        var q = new AioQueue<int>(loop: hostLoop);
        Assert.Throws<ArgumentException>(() => q.Publish("no/slash"));
        Assert.Throws<ArgumentException>(() => q.Publish(""));
        q.Publish("jobs");
        Assert.Contains("already published", Assert.Throws<InvalidOperationException>(() => q.Publish("other")).Message);
        var other = new AioQueue<int>(loop: hostLoop);
        Assert.Contains("already published under that name", Assert.Throws<InvalidOperationException>(() => other.Publish("jobs")).Message);

        await hostLoop.RunAsync(async () =>
        {
            var missing = await Assert.ThrowsAsync<TimeoutException>(() =>
                AioQueue<int>.OpenAsync(hostSys, "nothing", RemoteNodes.AddressOf(hostSys)));
            Assert.Contains("/user/aio-queue-nothing", missing.Message);
            await Assert.ThrowsAsync<InvalidOperationException>(() => AioQueue<int>.OpenAsync(hostSys, "nothing"));
            var wrongType = await Assert.ThrowsAsync<InvalidOperationException>(() => AioQueue<string>.OpenAsync(hostSys, "jobs"));
            Assert.Contains("Int32", wrongType.Message);
            // Same system, by name: the local registry.
            var handle = await AioQueue<int>.OpenAsync(hostSys, "jobs");
            Assert.Throws<InvalidOperationException>(() => handle.Publish("again"));
            Assert.Throws<NotSupportedException>(() => handle.PutNoWait(1));
            Assert.Throws<NotSupportedException>(() => handle.TryGet(out _));
            await handle.PutAsync(5);
        }).WaitAsync(Guard);
        Assert.Equal(1, q.Count);
    }

    [Fact]
    public async Task PutAsync_CancelledWhileParkedOnAFullHost_AddsNothing()
    {
        // asyncio Q6, test_queues.test_cancelled_puts_not_being_held_in_self_putters, across the network
        await using var nodes = new RemoteNodes();
        var (hostSys, hostLoop) = nodes.Start("host");
        var (sys, loop) = nodes.Start("client");
        var q = new AioQueue<int>(maxSize: 1, loop: hostLoop);
        q.Publish("jobs");
        using var cts = new CancellationTokenSource();
        var parked = await loop.RunAsync(async () =>
        {
            var remote = await AioQueue<int>.OpenAsync(sys, "jobs", RemoteNodes.AddressOf(hostSys));
            await remote.PutAsync(1);
            return remote.PutAsync(2, cts.Token);
        }).WaitAsync(Guard);
        await Eventually(() => q.PutterCount == 1, "the remote putter to park");
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => parked.WaitAsync(Guard));
        await Eventually(() => q.PutterCount == 0, "the host to withdraw the putter");
        Assert.Equal(1, await hostLoop.RunAsync(async () => await q.GetAsync()));
        Assert.Equal(0, q.Count);
        Assert.Equal(1, q.UnfinishedTasks);   // only the first put went in
    }

    [Fact]
    public async Task Handle_MembersThatNeedTheHomeLoopOrALoop_ThrowClearly()
    {
        await using var nodes = new RemoteNodes();
        var (hostSys, hostLoop) = nodes.Start("host");
        var q = new AioQueue<int>(loop: hostLoop);
        q.Publish("jobs");
        var handle = await hostLoop.RunAsync(() => AioQueue<int>.OpenAsync(hostSys, "jobs")).WaitAsync(Guard);
        Assert.Null(handle.Loop);
        Assert.Throws<InvalidOperationException>(() => handle.Ref);
        Assert.Throws<InvalidOperationException>(() => handle.AsSource());
        // From a plain thread: a handle completes on the caller's loop, and there is none.
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => handle.PutAsync(1));
        Assert.Contains("no event loop", e.Message);
        Assert.Throws<InvalidOperationException>(handle.TaskDone);   // this handle got nothing
    }

    [Fact]
    public async Task PendingGet_HostSystemTerminated_FailsWithQueueShutDown()
    {
        await using var nodes = new RemoteNodes();
        var (hostSys, hostLoop) = nodes.Start("host");
        var (sys, loop) = nodes.Start("client");
        var q = new AioQueue<int>(loop: hostLoop);
        q.Publish("jobs");
        var get = await loop.RunAsync(async () =>
        {
            var remote = await AioQueue<int>.OpenAsync(sys, "jobs", RemoteNodes.AddressOf(hostSys));
            return remote.GetAsync().AsTask();
        }).WaitAsync(Guard);
        await Eventually(() => q.GetterCount == 1, "the remote getter to park");
        await hostSys.Terminate().WaitAsync(Guard);   // DeathWatch or the failure detector tells the client
        await Assert.ThrowsAsync<QueueShutDownException>(() => get.WaitAsync(Guard));
    }

    [Fact]
    public async Task ConsumerSystemDies_MidRun_EveryItemProcessed_DuplicatesOnlyItsUnfinishedItems()
    {
        const int items = 20_000, consumersPerNode = 4;
        await using var nodes = new RemoteNodes();
        var (hostSys, hostLoop) = nodes.Start("host");
        var (sys1, loop1) = nodes.Start("worker1");
        var (sys2, loop2) = nodes.Start("worker2");
        var q = new AioQueue<int>(maxSize: 100, loop: hostLoop);
        q.Publish("jobs");
        var hostAddress = RemoteNodes.AddressOf(hostSys);

        var processed = new int[items];
        var seenBy1 = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        int processedBy1 = 0;
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var producer = hostLoop.RunAsync(async () => { for (int i = 0; i < items; i++) await q.PutAsync(i); });

        // Worker 1 processes 2,000 items, then its consumers each take one more and hang on it (a node that froze
        // mid-item); then its actor system is terminated. Those items were never marked done.
        var worker1 = loop1.RunAsync(async () =>
        {
            var remote = await AioQueue<int>.OpenAsync(sys1, "jobs", hostAddress);
            var hang = loop1.CreateFuture<bool>();
            await Aio.Gather(Enumerable.Range(0, consumersPerNode).Select(_ => (AioTask<Akka.NotUsed>)loop1.CreateTask(async () =>
            {
                while (true)
                {
                    int item = await remote.GetAsync();
                    seenBy1[item] = true;
                    Interlocked.Increment(ref processed[item]);
                    if (Interlocked.Increment(ref processedBy1) > 2_000)
                    {
                        stuck.TrySetResult();
                        await hang;   // never marked done
                    }
                    remote.TaskDone();
                }
            })).ToArray());
        });
        var worker2 = loop2.RunAsync(async () =>
        {
            var remote = await AioQueue<int>.OpenAsync(sys2, "jobs", hostAddress);
            await RemoteNodes.ConsumeUntilShutDown(loop2, remote, consumersPerNode, processed);
        });

        await stuck.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually(() => Volatile.Read(ref processedBy1) >= 2_000 + consumersPerNode, "every worker-1 consumer to hang on an item");
        await sys1.Terminate().WaitAsync(Guard);   // the node dies: the host's DeathWatch requeues what it held

        await producer.WaitAsync(TimeSpan.FromSeconds(40));
        await hostLoop.RunAsync(() => q.JoinAsync()).WaitAsync(TimeSpan.FromSeconds(40));
        q.Shutdown();
        await worker2.WaitAsync(Guard);

        Assert.All(processed, n => Assert.True(n >= 1));          // none lost
        var duplicates = Enumerable.Range(0, items).Where(i => processed[i] > 1).ToList();
        Assert.All(duplicates, i => Assert.True(seenBy1.ContainsKey(i), $"item {i} was processed twice but never reached worker 1"));
        Assert.All(duplicates, i => Assert.Equal(2, processed[i]));
        // Duplicates only among the items worker 1 held un-done at the crash: its hung ones (at least), plus at most a
        // TaskDone in flight per consumer.
        Assert.InRange(duplicates.Count, consumersPerNode, 2 * consumersPerNode);
        Assert.Equal(0, q.UnfinishedTasks);
        _ = worker1;
    }
}
