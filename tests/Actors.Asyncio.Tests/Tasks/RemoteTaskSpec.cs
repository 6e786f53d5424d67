using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Xunit;

namespace Actors.Asyncio.Tests.Tasks;

/// <summary>Two actor systems over Akka.Remote on 127.0.0.1 ("nodes" A and B), each with a real-time loop.</summary>
public sealed class RemoteNodes : IAsyncLifetime
{
    public static Akka.Configuration.Config NodeConfig => ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters = off
        akka.remote.watch-failure-detector {
          heartbeat-interval = 200ms
          acceptable-heartbeat-pause = 1s
          threshold = 8
          unreachable-nodes-reaper-interval = 200ms
          expected-response-after = 200ms
        }
        akka.remote.retry-gate-closed-for = 200ms
        """).WithFallback(AioConfig.Default);

    public ActorSystem A { get; } = ActorSystem.Create("A", NodeConfig);
    public ActorSystem B { get; } = ActorSystem.Create("B", NodeConfig);
    public AioEventLoop LoopA { get; private set; } = null!;
    public AioEventLoop LoopB { get; private set; } = null!;

    public Task InitializeAsync()
    {
        LoopA = AioEventLoop.Create(A, "a");
        LoopB = AioEventLoop.Create(B, "b");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await LoopA.DisposeAsync();
        await LoopB.DisposeAsync();
        await Task.WhenAll(A.Terminate(), B.Terminate()).WaitAsync(TimeSpan.FromSeconds(10));
    }

    public static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    /// <summary>The ref of <paramref name="local"/> (a ref on <paramref name="from"/>) as <paramref name="to"/> sees it,
    /// resolved from its full path: what a message carrying the ref delivers.</summary>
    public static IActorRef Remote(ActorSystem from, IActorRef local, ActorSystem to) =>
        ((ExtendedActorSystem)to).Provider.ResolveActorRef(local.Path.ToStringWithAddress(AddressOf(from)));
}

public sealed record Point(int X, string Name);

public sealed record Unserializable(Func<int> Make);

public sealed class OddException(int code) : Exception($"odd {code}")
{
    public int Code { get; } = code;
}

public sealed record Carry(IActorRef Task);

public sealed record Report(int Rows, string Summary);

public sealed record WorkStarted(IActorRef Task);

[Collection(SocketsCollection.Name)]
public class RemoteTaskSpec(RemoteNodes nodes) : IClassFixture<RemoteNodes>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private AioEventLoop LoopA => nodes.LoopA;

    private IActorRef OnB(IActorRef refOnA) => RemoteNodes.Remote(nodes.A, refOnA, nodes.B);

    [Fact]
    public void Ref_Path_IsUnderTempAndNamedAfterLoopAndTask()
    {
        var t = LoopA.CreateTask(() => Task.FromResult(1));
        Assert.Equal($"/temp/aio-loop-a/task-{t.Name.Split('-')[1]}", t.Ref.Path.ToStringWithoutAddress());
    }

    [Fact]
    public async Task ResultOf_RefSentInAMessage_GetsIntResultFromOtherNode()
    {
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = LoopA.CreateTask(async () => await gate.Task * 2);
        // The ref crosses the wire inside a user message, as an application would send it.
        var inbox = Inbox.Create(nodes.B);
        RemoteNodes.Remote(nodes.B, inbox.Receiver, nodes.A).Tell(new Carry(task.Ref));
        var carried = (Carry)await inbox.ReceiveAsync(Guard);
        Assert.False(((IActorRefScope)carried.Task).IsLocal);

        var result = Aio.ResultOf<int>(nodes.B, carried.Task);
        await Task.Delay(50);
        Assert.False(result.IsCompleted);
        gate.SetResult(21);
        Assert.Equal(42, await result.WaitAsync(Guard));
    }

    [Fact]
    public async Task ResultOf_RefResolvedFromPath_AwaitedInsideTaskOnOtherNode_ResumesOnItsLoop()
    {
        var task = LoopA.CreateTask(async () => { await Aio.Sleep(0.05); return new Point(3, "three"); });
        var path = task.Ref.Path.ToStringWithAddress(RemoteNodes.AddressOf(nodes.A));
        var resolved = ((ExtendedActorSystem)nodes.B).Provider.ResolveActorRef(path);

        var (point, sameLoop) = await nodes.LoopB.RunAsync(async () =>
        {
            var p = await Aio.ResultOf<Point>(resolved);
            return (p, Aio.GetRunningLoop() == nodes.LoopB && nodes.LoopB.IsOnLoopThread);
        }).WaitAsync(Guard);

        Assert.Equal(new Point(3, "three"), point);
        Assert.True(sameLoop);
    }

    [Fact]
    public async Task Ref_ToldIdentify_AnswersWithItself()
    {
        var task = LoopA.CreateTask(async () => { await Aio.Sleep(3600); return 0; });
        var remote = OnB(task.Ref);
        var identity = await remote.Ask<ActorIdentity>(new Identify("who"), Guard);
        Assert.Equal("who", identity.MessageId);
        Assert.Equal(remote, identity.Subject);
        task.Cancel();
    }

    [Fact]
    public async Task ResultOf_TaskFails_ThrowsSameExceptionTypeWithRemoteStackTrace()
    {
        var task = LoopA.CreateTask<int>(async () => { await Aio.Sleep(0.01); throw new InvalidOperationException("boom"); });
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Aio.ResultOf<int>(nodes.B, OnB(task.Ref)).WaitAsync(Guard));
        Assert.Equal("boom", e.Message);
        Assert.Contains(nameof(ResultOf_TaskFails_ThrowsSameExceptionTypeWithRemoteStackTrace), e.StackTrace);
    }

    [Fact]
    public async Task ResultOf_ExceptionThatCannotBeRecreated_ThrowsRemoteTaskExceptionWithTypeAndMessage()
    {
        var task = LoopA.CreateTask<int>(async () => { await Aio.Sleep(0.01); throw new OddException(7); }, name: "odd");
        var e = await Assert.ThrowsAsync<RemoteTaskException>(() => Aio.ResultOf<int>(nodes.B, OnB(task.Ref)).WaitAsync(Guard));
        Assert.Equal("odd 7", e.Message);
        Assert.Equal("odd", e.TaskName);
        Assert.StartsWith(typeof(OddException).FullName + ",", e.ExceptionType);
        Assert.Contains(nameof(ResultOf_ExceptionThatCannotBeRecreated_ThrowsRemoteTaskExceptionWithTypeAndMessage), e.RemoteStackTrace);
    }

    [Fact]
    public async Task ResultOf_TaskCancelledOnItsNode_ThrowsCancelled()
    {
        var task = LoopA.CreateTask(async () => { await Aio.Sleep(3600); return 1; }, name: "long");
        var result = Aio.ResultOf<int>(nodes.B, OnB(task.Ref));
        await Task.Delay(100);
        task.Cancel("stop");
        var e = await Assert.ThrowsAsync<CancelledException>(() => result.WaitAsync(Guard));
        Assert.Contains("'long'", e.Message);
    }

    [Fact]
    public async Task ResultOf_CancelledAwaiter_LeavesRemoteTaskRunning_TaskProtocolCancelStopsIt()
    {
        var task = LoopA.CreateTask(async () => { await Aio.Sleep(3600); return 1; });
        var remote = OnB(task.Ref);
        using var cts = new CancellationTokenSource();
        var result = Aio.ResultOf<int>(nodes.B, remote, cts.Token);
        cts.Cancel();
        await Assert.ThrowsAsync<CancelledException>(() => result.WaitAsync(Guard));
        await Task.Delay(100);
        Assert.False(task.IsDone);

        // Cancelling the remote task is explicit.
        var second = Aio.ResultOf<int>(nodes.B, remote);
        remote.Tell(new TaskProtocol.Cancel("from B"));
        await Assert.ThrowsAsync<CancelledException>(() => second.WaitAsync(Guard));
        Assert.True(task.IsCancelled);
    }

    [Fact]
    public async Task ResultOf_ResultNotSerializable_ThrowsSerializationExceptionInsteadOfHanging()
    {
        var task = LoopA.CreateTask(async () => { await Aio.Sleep(0.01); return new Unserializable(() => 1); }, name: "lambda");
        var e = await Assert.ThrowsAsync<SerializationException>(() => Aio.ResultOf<Unserializable>(nodes.B, OnB(task.Ref)).WaitAsync(Guard));
        Assert.Contains("'lambda'", e.Message);
        Assert.Contains(nameof(Unserializable), e.Message);
    }

    [Fact]
    public async Task ResultOf_UnknownTaskPath_ThrowsTaskUnreachable_NodeNotTerminated()
    {
        var path = $"{RemoteNodes.AddressOf(nodes.A)}/temp/aio-loop-a/task-999999999";
        var unknown = ((ExtendedActorSystem)nodes.B).Provider.ResolveActorRef(path);
        var e = await Assert.ThrowsAsync<TaskUnreachableException>(() => Aio.ResultOf<int>(nodes.B, unknown).WaitAsync(Guard));
        Assert.False(e.NodeTerminated);
        Assert.Equal(unknown, e.TaskRef);
    }

    [Fact]
    public async Task ResultOf_TaskAlreadyFinished_GetsResult_AndTaskWithoutResultCompletes()
    {
        var done = LoopA.CreateTask(() => Task.FromResult("early"));
        var noResult = LoopA.CreateTask(async () => await Aio.Sleep(0.01));
        var deadline = DateTime.UtcNow + Guard;
        while (!done.IsDone && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.True(done.IsDone);
        Assert.Equal("early", await Aio.ResultOf<string>(nodes.B, OnB(done.Ref)).WaitAsync(Guard));
        Assert.Null(await Aio.ResultOf<object?>(nodes.B, OnB(noResult.Ref)).WaitAsync(Guard));
    }

    [Fact]
    public async Task Ref_WatchedFromOtherNode_GetsTerminatedWhenTaskFinishes()
    {
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = LoopA.CreateTask(async () => await gate.Task);
        var remote = OnB(task.Ref);
        var terminated = new TaskCompletionSource<Terminated>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = nodes.B.ActorOf(Props.Create(() => new WatchingActor(remote, terminated)));
        await Task.Delay(300);
        Assert.False(terminated.Task.IsCompleted);
        gate.SetResult(1);
        var t = await terminated.Task.WaitAsync(Guard);
        Assert.Equal(remote, t.ActorRef);
        Assert.True(t.ExistenceConfirmed);
        nodes.B.Stop(watcher);
    }

    private sealed class WatchingActor : UntypedActor
    {
        private readonly TaskCompletionSource<Terminated> _terminated;

        public WatchingActor(IActorRef watched, TaskCompletionSource<Terminated> terminated)
        {
            _terminated = terminated;
            Context.Watch(watched);
        }

        protected override void OnReceive(object message)
        {
            if (message is Terminated t) _terminated.TrySetResult(t);
        }
    }

    [Fact]
    public async Task Subscribe_FromPlainActorOnOtherNode_GetsFinishedOrFailed()
    {
        var ok = LoopA.CreateTask(() => Task.FromResult(5));
        var bad = LoopA.CreateTask<int>(() => throw new ArgumentException("bad arg"), name: "bad");
        var inbox = Inbox.Create(nodes.B);
        OnB(ok.Ref).Tell(new TaskProtocol.Subscribe(inbox.Receiver));
        var finished = Assert.IsType<TaskProtocol.Finished>(await inbox.ReceiveAsync(Guard));
        Assert.Equal(5, Convert.ToInt32(finished.Result));
        OnB(bad.Ref).Tell(new TaskProtocol.Subscribe(inbox.Receiver));
        var failed = Assert.IsType<TaskProtocol.Failed>(await inbox.ReceiveAsync(Guard));
        Assert.Equal("bad", failed.TaskName);
        Assert.Equal("bad arg", failed.Message);
        Assert.StartsWith("System.ArgumentException,", failed.ExceptionType);
    }

    [Fact]
    public async Task Docs_DistributedTasksSnippet_BehavesAsDocumented()   // docs/distributed-tasks.md
    {
        var loopA = LoopA;
        var requesterOnB = Inbox.Create(nodes.B);
        var requester = RemoteNodes.Remote(nodes.B, requesterOnB.Receiver, nodes.A);
        var task = loopA.CreateTask(async () =>
        {
            await Aio.Sleep(0.5);
            return new Report(42, "ok");
        }, name: "nightly-report");
        requester.Tell(new WorkStarted(task.Ref));
        var started = (WorkStarted)await requesterOnB.ReceiveAsync(Guard);

        var report = await nodes.LoopB.RunAsync(async () => await Aio.ResultOf<Report>(started.Task)).WaitAsync(Guard);
        Assert.Equal(new Report(42, "ok"), report);
        using var cts = new CancellationTokenSource(Guard);
        var again = await Aio.ResultOf<Report>(nodes.B, started.Task, cts.Token);
        Assert.Equal(report, again);
    }

    [Fact]
    public async Task AsTask_ExportsAFuture_AwaitedFromOtherNode()
    {
        var future = LoopA.CreateFuture<string>();
        var exported = Aio.AsTask(future, name: "exported");
        var result = Aio.ResultOf<string>(nodes.B, OnB(exported.Ref));
        LoopA.CallSoonThreadsafe(() => future.SetResult("from a future"));
        Assert.Equal("from a future", await result.WaitAsync(Guard));
    }
}

/// <summary>The task's node goes away while another node awaits it: its own pair of systems.</summary>
[Collection(SocketsCollection.Name)]
public class RemoteTaskNodeLossSpec
{
    [Fact]
    public async Task ResultOf_TaskNodeTerminated_ThrowsTaskUnreachableWithinBoundedTime()
    {
        var a = ActorSystem.Create("LostA", RemoteNodes.NodeConfig);
        using var b = ActorSystem.Create("LostB", RemoteNodes.NodeConfig);
        try
        {
            var loop = AioEventLoop.Create(a, "lost");
            var task = loop.CreateTask(async () => { await Aio.Sleep(3600); return 1; });
            var remote = RemoteNodes.Remote(a, task.Ref, b);
            var result = Aio.ResultOf<int>(b, remote);
            await Task.Delay(500);   // let B's remote watcher start heartbeating A
            Assert.False(result.IsCompleted);
            await a.Terminate().WaitAsync(TimeSpan.FromSeconds(10));   // the loop goes down with its system, unclosed

            var e = await Assert.ThrowsAsync<TaskUnreachableException>(() => result.WaitAsync(TimeSpan.FromSeconds(15)));
            Assert.True(e.NodeTerminated, e.Message);
            Assert.Contains(RemoteNodes.AddressOf(a).ToString(), e.Message);
        }
        finally
        {
            await a.Terminate();
            await b.Terminate();
        }
    }
}
