using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using Xunit;

namespace Actors.Asyncio.Tests.Queues;

/// <summary>Queues opened by name across a 3-node Akka.Cluster on loopback (ClusterQueueDirectory, DistributedPubSub).</summary>
[Collection(SocketsCollection.Name)]
public class RemoteQueueClusterSpec
{
    private const string ClusterConfig = """
        akka.actor.provider = cluster
        akka.cluster.gossip-interval = 200ms
        akka.cluster.leader-actions-interval = 200ms
        akka.cluster.failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 2s }
        akka.cluster.pub-sub.gossip-interval = 200ms
        akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = off
        akka.coordinated-shutdown.exit-clr = off
        """;

    private static async Task Eventually(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task OpenByName_ThreeNodeCluster_ItemsFlow_NodeThatLeavesGivesItsItemsBack()
    {
        const int items = 2_000, consumersPerNode = 3;
        await using var nodes = new RemoteNodes();
        var (sys1, loop1) = nodes.Start("cluster", ClusterConfig);
        var (sys2, loop2) = nodes.Start("cluster", ClusterConfig);
        var (sys3, loop3) = nodes.Start("cluster", ClusterConfig);
        var seed = RemoteNodes.AddressOf(sys1);
        foreach (var sys in new[] { sys1, sys2, sys3 }) Cluster.Get(sys).JoinSeedNodes([seed]);
        await Eventually(() => Cluster.Get(sys1).State.Members.Count(m => m.Status == MemberStatus.Up) == 3, "three members up");

        var q = new AioQueue<int>(maxSize: 50, loop: loop1);
        q.Publish("jobs");

        var processed = new int[items];
        var seenBy3 = new ConcurrentDictionary<int, bool>();
        int processedBy3 = 0;
        var producer = loop1.RunAsync(async () => { for (int i = 0; i < items; i++) await q.PutAsync(i); });

        var worker3 = loop3.RunAsync(async () =>
        {
            var remote = await AioQueue<int>.OpenAsync(sys3, "jobs");   // by name: DistributedPubSub
            Assert.True(remote.IsRemote);
            var hang = loop3.CreateFuture<bool>();
            await Aio.Gather(Enumerable.Range(0, consumersPerNode).Select(_ => (AioTask<Akka.NotUsed>)loop3.CreateTask(async () =>
            {
                while (true)
                {
                    int item = await remote.GetAsync();
                    seenBy3[item] = true;
                    Interlocked.Increment(ref processed[item]);
                    if (Interlocked.Increment(ref processedBy3) > 200) await hang;   // holds it, never done
                    remote.TaskDone();
                }
            })).ToArray());
        });
        var worker2 = loop2.RunAsync(async () =>
        {
            var remote = await AioQueue<int>.OpenAsync(sys2, "jobs");
            await RemoteNodes.ConsumeUntilShutDown(loop2, remote, consumersPerNode, processed);
        });

        await Eventually(() => Volatile.Read(ref processedBy3) >= 200 + consumersPerNode, "node 3's consumers to hold an item each", 30);
        await sys3.Terminate().WaitAsync(TimeSpan.FromSeconds(20));   // leaves the cluster (coordinated shutdown)

        await producer.WaitAsync(TimeSpan.FromSeconds(30));
        await loop1.RunAsync(() => q.JoinAsync()).WaitAsync(TimeSpan.FromSeconds(30));
        q.Shutdown();
        await worker2.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.All(processed, n => Assert.True(n >= 1));
        var duplicates = Enumerable.Range(0, items).Where(i => processed[i] > 1).ToList();
        Assert.All(duplicates, i => Assert.True(seenBy3.ContainsKey(i)));
        Assert.InRange(duplicates.Count, consumersPerNode, 2 * consumersPerNode);
        _ = worker3;
    }
}
