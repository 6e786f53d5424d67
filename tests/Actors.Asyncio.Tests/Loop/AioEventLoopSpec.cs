using System.Collections.Concurrent;
using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Loop;

public class AioEventLoopSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task Steps_OfThousandTasks_RunOnOneManagedThread()
    {
        var threads = await RunAsync(async () =>
        {
            var seen = new ConcurrentDictionary<int, bool>();
            var tasks = Enumerable.Range(0, 1000).Select(i => Aio.CreateTask(async () =>
            {
                seen[Environment.CurrentManagedThreadId] = true;
                await Aio.Sleep(0);
                seen[Environment.CurrentManagedThreadId] = true;
                await Task.Delay(1);   // a plain .NET await resumes on the loop thread too
                seen[Environment.CurrentManagedThreadId] = true;
            })).ToList();
            foreach (var t in tasks) await t;
            return seen.Keys.ToArray();
        });
        Assert.Single(threads);
    }

    [Fact]
    public async Task TwoLoops_InOneSystem_RunOnTwoThreads()
    {
        await using var other = AioEventLoop.Create(Sys, "other");
        int a = await RunAsync(() => Task.FromResult(Environment.CurrentManagedThreadId));
        int b = await other.RunAsync(() => Task.FromResult(Environment.CurrentManagedThreadId));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task CallSoon_ManyCallbacks_RunFifo_AndCancelledHandleNeverRuns()   // asyncio LP1, M1
    {
        var order = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var log = new List<int>();
            for (int i = 0; i < 5; i++) { int k = i; loop.CallSoon(() => log.Add(k)); }
            loop.CallSoon(() => log.Add(99)).Cancel();
            await Aio.Sleep(0.01);
            return log;
        });
        Assert.Equal([0, 1, 2, 3, 4], order);
    }

    [Fact]
    public async Task CallSoon_ScheduledDuringIteration_RunsInNextIteration()   // asyncio M1: A, B, then N
    {
        var order = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var log = new List<string>();
            loop.CallSoon(() => { log.Add("A"); loop.CallSoon(() => log.Add("N")); });
            loop.CallSoon(() => log.Add("B"));
            await Aio.Sleep(0.01);
            return string.Join("", log);
        });
        Assert.Equal("ABN", order);
    }

    [Fact]
    public async Task CallLater_Timers_FireInDeadlineOrder_TiesInSchedulingOrder()   // asyncio LP2
    {
        var order = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var log = new List<string>();
            loop.CallLater(0.3, () => log.Add("c"));
            loop.CallLater(0.1, () => log.Add("a1"));
            loop.CallAt(loop.Time() + 0.1, () => log.Add("a2"));
            loop.CallLater(0.2, () => log.Add("b"));
            var cancelled = loop.CallLater(0.15, () => log.Add("x"));
            cancelled.Cancel();
            await Aio.Sleep(1);
            return string.Join(",", log);
        });
        Assert.Equal("a1,a2,b,c", order);
    }

    [Fact]
    public async Task CallLater_NegativeDelay_BehavesAsZero_AndNaNIsRejected()
    {
        var ran = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            bool hit = false;
            loop.CallLater(-5, () => hit = true);
            Assert.Throws<ArgumentException>(() => loop.CallLater(double.NaN, () => { }));
            await Aio.Sleep(0);
            await Aio.Sleep(0);
            return hit;
        });
        Assert.True(ran);
    }

    [Fact]
    public async Task Sleep0_TwoTasks_InterleaveStrictly()   // asyncio M5 / CT3
    {
        var trace = await RunAsync(async () =>
        {
            var log = new List<string>();
            async Task Worker(string name)
            {
                for (int i = 1; i <= 3; i++)
                {
                    log.Add(name + i + ":" + Aio.CurrentTask()!.Name);
                    await Aio.Sleep(0);
                }
            }
            var a = Aio.CreateTask(() => Worker("a"), name: "A");
            var b = Aio.CreateTask(() => Worker("b"), name: "B");
            await a; await b;
            return string.Join(" ", log);
        });
        Assert.Equal("a1:A b1:B a2:A b2:B a3:A b3:B", trace);
    }

    [Fact]
    public async Task CreateTask_Tasks_StartInCreationOrder_AfterCreatorSuspends()   // asyncio M2
    {
        var trace = await RunAsync(async () =>
        {
            var log = new List<string>();
            var ts = Enumerable.Range(0, 3).Select(i => Aio.CreateTask(() => { log.Add("t" + i); return Task.CompletedTask; })).ToList();
            log.Add("creator");
            foreach (var t in ts) await t;
            return string.Join(" ", log);
        });
        Assert.Equal("creator t0 t1 t2", trace);
    }

    [Fact]
    public async Task Sleep_Negative_YieldsOneTick_AndNaN_Throws()   // asyncio SL2, SL4
    {
        var trace = await RunAsync(async () =>
        {
            var log = new List<string>();
            Aio.GetRunningLoop().CallSoon(() => log.Add("callback"));
            await Aio.Sleep(-1);
            log.Add("resumed");
            await Assert.ThrowsAsync<ArgumentException>(() => Aio.Sleep(double.NaN));
            return string.Join(" ", log);
        });
        Assert.Equal("callback resumed", trace);
    }

    [Fact]
    public async Task Sleep_WithResult_ReturnsIt_AfterLoopTime()   // asyncio SL1
    {
        var (value, elapsed) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            double t0 = loop.Time();
            string v = await Aio.Sleep(2.5, "result");
            return (v, loop.Time() - t0);
        });
        Assert.Equal("result", value);
        Assert.Equal(2.5, elapsed, 6);
    }

    [Fact]
    public void OutsideLoop_LoopOnlyFunctions_ThrowNoRunningLoop()   // asyncio CT1
    {
        var e = Assert.Throws<InvalidOperationException>(() => Aio.GetRunningLoop());
        Assert.Contains("no running event loop", e.Message);
        Assert.Throws<InvalidOperationException>(() => { _ = Aio.Sleep(1); });
        Assert.Throws<InvalidOperationException>(() => Aio.CreateTask(() => Task.CompletedTask));
        Assert.Throws<InvalidOperationException>(() => Aio.CurrentTask());
        Assert.Throws<ArgumentNullException>(() => Loop.CreateTask((Func<Task<int>>)null!));
        Assert.Throws<ArgumentNullException>(() => Loop.CallSoon(null!));
    }

    [Fact]
    public async Task Run_InsideRunningLoop_Throws()   // asyncio R3
    {
        var e = await RunAsync(() => Task.FromResult(Assert.Throws<InvalidOperationException>(() => Aio.Run(() => Task.FromResult(1)))));
        Assert.Contains("running event loop", e.Message);
    }

    [Fact]
    public async Task CallSoonThreadsafe_FromAnotherThread_RunsOnLoopThread()   // asyncio LP3
    {
        int loopThread = await RunAsync(() => Task.FromResult(Environment.CurrentManagedThreadId));
        var ran = new TaskCompletionSource<int>();
        await Task.Run(() => Loop.CallSoonThreadsafe(() => ran.SetResult(Environment.CurrentManagedThreadId)));
        Assert.Equal(loopThread, await ran.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task RunCoroutineThreadsafe_ResultAndException_ReachTheCaller()   // asyncio LP4
    {
        int r = await Task.Run(() => Loop.RunCoroutineThreadsafe(async () => { await Aio.Sleep(1); return 7; }));
        Assert.Equal(7, r);
        await Assert.ThrowsAsync<FormatException>(() => Loop.RunCoroutineThreadsafe(async () => { await Aio.Sleep(1); throw new FormatException(); }));
    }

    [Fact]
    public async Task RunCoroutineThreadsafe_CancellingToken_CancelsTheTask()   // asyncio LP4
    {
        using var cts = new CancellationTokenSource();
        // A future nobody completes: under virtual time a long sleep would simply end at once.
        var run = Loop.RunCoroutineThreadsafe(async () => await Aio.GetRunningLoop().CreateFuture<int>(), cts.Token);
        await Task.Delay(20);
        cts.Cancel();
        await Assert.ThrowsAsync<CancelledException>(() => run);
    }

    [Fact]
    public async Task ToThread_RunsOffTheLoopThread_AndPropagatesExceptions()   // asyncio LP5
    {
        var (loopThread, workerThread) = await RunAsync(async () =>
        {
            int worker = await Aio.ToThread(() => { Thread.Sleep(5); return Environment.CurrentManagedThreadId; });
            return (Environment.CurrentManagedThreadId, worker);
        });
        Assert.NotEqual(loopThread, workerThread);
        await Assert.ThrowsAsync<DivideByZeroException>(() => RunAsync(() => Aio.ToThread(() => 1 / int.Parse("0"))));
    }

    [Fact]
    public async Task RunInExecutor_CancelledBeforeStart_NeverRuns()   // asyncio LP6
    {
        int ran = 0;
        await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            var gate = new ManualResetEventSlim();
            var busy = Enumerable.Range(0, loop.ExecutorMaxWorkers).Select(_ => loop.RunInExecutor(() => gate.Wait(5000))).ToList();
            var queued = loop.RunInExecutor(() => Interlocked.Increment(ref ran));
            Assert.True(queued.Cancel());
            gate.Set();
            foreach (var b in busy) await b;
            await Aio.ToThread(() => 0);   // the queue behind the cancelled job has drained
        });
        Assert.Equal(0, ran);
    }

    [Fact]
    public async Task ExceptionHandler_DoneCallbackThrows_HandlerGetsIt_AndOtherCallbacksRun()   // asyncio F7
    {
        var (message, second) = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            string? msg = null;
            loop.SetExceptionHandler((l, ctx) => msg = (string)ctx["message"]!);
            var f = loop.CreateFuture<int>();
            bool ran2 = false;
            f.AddDoneCallback(_ => throw new InvalidCastException());
            f.AddDoneCallback(_ => ran2 = true);
            f.SetResult(1);
            await Aio.Sleep(0);
            await Aio.Sleep(0);
            return (msg, ran2);
        });
        Assert.StartsWith("Exception in callback", message);
        Assert.True(second);
    }

    [Fact]
    public async Task Close_FailedTaskNeverRetrieved_IsReportedToHandler()   // asyncio F10 / EH4
    {
        var loop = AioEventLoop.Create(Sys, "leaky", new RunOptions { VirtualTime = true });
        var reports = new ConcurrentQueue<IReadOnlyDictionary<string, object?>>();
        loop.SetExceptionHandler((_, ctx) => reports.Enqueue(ctx));
        await loop.RunAsync(async () =>
        {
            _ = Aio.CreateTask(async () => { await Aio.Sleep(0); throw new ApplicationException("boom"); }, name: "leaker");
            var retrieved = Aio.CreateTask(async () => { await Aio.Sleep(0); throw new ApplicationException("seen"); });
            await Aio.Sleep(1);
            Assert.IsType<ApplicationException>(retrieved.Exception);
        });
        await loop.DisposeAsync();
        var report = Assert.Single(reports);
        Assert.Equal("Task exception was never retrieved", report["message"]);
        Assert.Equal("boom", ((Exception)report["exception"]!).Message);
        Assert.Equal("leaker", ((IAioTask)report["task"]!).Name);
    }

    [Fact]
    public async Task Close_FailedTaskCollectedBeforeClose_IsReportedExactlyOnce()   // asyncio F10 / EH4
    {
        // The GC may find the failed task unreachable before the loop closes, with its finalizer still pending: the
        // report must come (at close, or from the finalizer) and come once, not be left to a finalizer that runs later.
        var loop = AioEventLoop.Create(Sys, "collected", new RunOptions { VirtualTime = true });
        var reports = new ConcurrentQueue<IReadOnlyDictionary<string, object?>>();
        loop.SetExceptionHandler((_, ctx) => reports.Enqueue(ctx));
        await loop.RunAsync(async () =>
        {
            _ = Aio.CreateTask(async () => { await Aio.Sleep(0); throw new ApplicationException("dropped"); }, name: "dropped");
            await Aio.Sleep(1);
        });
        GC.Collect();
        await loop.DisposeAsync();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var report = Assert.Single(reports);
        Assert.Equal("dropped", ((Exception)report["exception"]!).Message);
    }

    [Fact]
    public async Task Close_PendingTasks_AreCancelled_AndTheirFinallyRuns()
    {
        var loop = AioEventLoop.Create(Sys, "closing");
        bool cleaned = false;
        var t = loop.CreateTask(async () => { try { await Aio.Sleep(3600); } finally { cleaned = true; } });
        await Task.Delay(20);
        await loop.DisposeAsync();
        Assert.True(cleaned);
        Assert.True(t.IsCancelled);
        Assert.True(loop.IsClosed);
    }

    [Fact]
    public async Task VirtualTime_HourOfSleeps_PassesInstantly_AndClockIsExact()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        double slept = await RunAsync(async () =>
        {
            var loop = Aio.GetRunningLoop();
            double t0 = loop.Time();
            for (int i = 0; i < 60; i++) await Aio.Sleep(60);
            return loop.Time() - t0;
        });
        Assert.Equal(3600, slept, 6);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), "a guard, not a timing assertion");
    }

    [Fact]
    public void AdvanceTime_Negative_Throws_AndMovesTheClock()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AdvanceTime(TimeSpan.FromSeconds(-1)));
        double before = Loop.Time();
        AdvanceTime(TimeSpan.FromSeconds(5));
        Assert.Equal(before + 5, Loop.Time(), 6);
    }

    [Fact]
    public async Task DispatcherId_OrdinaryActor_RunsOnTheLoopThread()
    {
        int loopThread = await RunAsync(() => Task.FromResult(Environment.CurrentManagedThreadId));
        var actor = Sys.ActorOf(Props.Create(() => new ThreadReporter()).WithDispatcher(Loop.DispatcherId));
        int actorThread = await actor.Ask<int>("which", TimeSpan.FromSeconds(10));
        Assert.Equal(loopThread, actorThread);
    }

    private sealed class ThreadReporter : ReceiveActor
    {
        public ThreadReporter() => Receive<string>(_ => Sender.Tell(Environment.CurrentManagedThreadId));
    }

    private sealed class EchoActor : ReceiveActor
    {
        public EchoActor() => ReceiveAny(m => Sender.Tell(m));
    }

    [Fact]   // an actor placed on a loop's dispatcher could not run once the loop's thread is gone: Close stops it
             // first, so the actor system does not wait out CoordinatedShutdown's 10 s for it at termination
    public async Task Close_StopsActorsOnTheLoopsDispatcher_SoTheSystemTerminatesPromptly()
    {
        var system = ActorSystem.Create("hosting", AioConfig.Default);
        var loop = AioEventLoop.Create(system, "main");
        var actor = system.ActorOf(Props.Create(() => new EchoActor()).WithDispatcher(loop.DispatcherId), "mine");
        Assert.Equal("hi", await actor.Ask<string>("hi", TimeSpan.FromSeconds(5)));
        await loop.DisposeAsync();
#pragma warning disable CS0618   // IsTerminated: a synchronous look at the state, which a watch cannot give
        Assert.True(((IInternalActorRef)actor).IsTerminated, "the actor outlived its loop");
#pragma warning restore CS0618
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"the actor system took {sw.Elapsed.TotalSeconds:0.0} s to terminate");
    }
}
