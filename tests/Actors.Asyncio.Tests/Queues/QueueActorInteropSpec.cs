using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Queues;

public class QueueActorInteropSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    /// <summary>A plain actor that feeds a queue, one Put per Putted reply: the queue's backpressure paces it.</summary>
    private sealed class Feeder : ReceiveActor
    {
        public Feeder(IActorRef queue, int count, IActorRef report)
        {
            int next = 0;
            Receive<string>(s => s == "start", _ => queue.Tell(new QueueProtocol.Put(next++)));
            Receive<QueueProtocol.Putted>(_ =>
            {
                report.Tell(next);
                if (next < count) queue.Tell(new QueueProtocol.Put(next++));
            });
        }
    }

    /// <summary>A plain actor that drains a queue, marking each item done.</summary>
    private sealed class Drainer : ReceiveActor
    {
        public Drainer(IActorRef queue, int count, IActorRef report)
        {
            var got = new List<int>();
            Receive<string>(s => s == "start", _ => queue.Tell(QueueProtocol.Get.Instance));
            Receive<QueueProtocol.Got>(g =>
            {
                got.Add((int)g.Item!);
                queue.Tell(QueueProtocol.TaskDone.Instance);
                if (got.Count < count) queue.Tell(QueueProtocol.Get.Instance);
                else report.Tell(got.ToArray());
            });
            Receive<QueueProtocol.TaskMarkedDone>(_ => { });
        }
    }

    [Fact]
    public async Task ReceiveActor_FeedingAFullQueue_IsHeldBackUntilATaskGets()
    {
        var q = new AioQueue<int>(maxSize: 2, loop: Loop);
        var probe = CreateTestProbe();
        var feeder = Sys.ActorOf(Props.Create(() => new Feeder(q.Ref, 5, probe.Ref)));
        feeder.Tell("start");
        probe.ExpectMsg(1);
        probe.ExpectMsg(2);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));   // the third Put's reply is deferred: the queue is full
        Assert.Equal(2, q.Count);
        var got = await RunAsync(async () => new[] { await q.GetAsync(), await q.GetAsync(), await q.GetAsync() });
        Assert.Equal([0, 1, 2], got);
        probe.ExpectMsg(3);
        probe.ExpectMsg(4);
        probe.ExpectMsg(5);
    }

    [Fact]
    public async Task ReceiveActor_DrainingTheQueue_GetsItemsInOrder_AndJoinCompletes()
    {
        var q = new AioQueue<int>(loop: Loop);
        var drainer = Sys.ActorOf(Props.Create(() => new Drainer(q.Ref, 3, TestActor)));
        drainer.Tell("start");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));   // the Get reply waits for an item
        await RunAsync(async () =>
        {
            for (int i = 10; i < 13; i++) await q.PutAsync(i);
            await q.JoinAsync();   // released by the actor's TaskDone messages
        });
        Assert.Equal([10, 11, 12], ExpectMsg<int[]>());
    }

    [Fact]
    public async Task Protocol_TaskDoneJoinShutdownAndBadItems_AreAnswered()
    {
        var q = new AioQueue<string>(loop: Loop);
        q.Ref.Tell(QueueProtocol.TaskDone.Instance, TestActor);
        var failed = ExpectMsg<QueueProtocol.CommandFailed>();
        Assert.IsType<InvalidOperationException>(failed.Cause);
        q.Ref.Tell(new QueueProtocol.Put(42), TestActor);
        Assert.IsType<InvalidCastException>(ExpectMsg<QueueProtocol.CommandFailed>().Cause);
        q.Ref.Tell(new QueueProtocol.Put("x"), TestActor);
        ExpectMsg<QueueProtocol.Putted>();
        q.Ref.Tell(QueueProtocol.Join.Instance, TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        q.Ref.Tell(QueueProtocol.Get.Instance, TestActor);
        Assert.Equal("x", ExpectMsg<QueueProtocol.Got>().Item);
        q.Ref.Tell(QueueProtocol.TaskDone.Instance, TestActor);
        ExpectMsgAllOf(new object[] { QueueProtocol.TaskMarkedDone.Instance, QueueProtocol.Joined.Instance });
        q.Ref.Tell(new QueueProtocol.Shutdown(), TestActor);
        ExpectMsg<QueueProtocol.ShutDownCompleted>();
        q.Ref.Tell(QueueProtocol.Get.Instance, TestActor);
        Assert.IsType<QueueShutDownException>(ExpectMsg<QueueProtocol.CommandFailed>().Cause);
        Assert.True(await RunAsync(() => Task.FromResult(q.IsShutDown)));
    }

    [Fact]
    public async Task Ref_IsAnActorPathUnderTheHomeLoop()
    {
        var q = new AioQueue<int>();
        var path = await RunAsync(() => Task.FromResult(q.Ref.Path.ToString()));
        Assert.StartsWith(Loop.ActorRef.Path.ToString() + "/queue-", path);
        Assert.Same(q.Ref, q.Ref);
    }
}
