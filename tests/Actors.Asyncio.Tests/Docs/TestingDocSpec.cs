using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Docs;

// The code of docs/testing.md, compiled and run: keep the two in step.
public class TestingDocSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Fact]
    public async Task Sleep_OneHour_PassesInstantlyOnTheVirtualClock()
    {
        double slept = await RunAsync(async () =>
        {
            double t0 = Loop.Time();
            await Aio.Sleep(3600);
            return Loop.Time() - t0;
        });
        Assert.Equal(3600, slept, 3);
    }

    [Fact]
    public async Task WaitFor_SlowOperation_TimesOutAtItsDeadline()
    {
        var (error, elapsed) = await RunAsync(async () =>
        {
            double t0 = Loop.Time();
            Exception? e = null;
            try { await Aio.WaitFor(() => Aio.Sleep(10, "too late"), timeout: 1.0); }
            catch (Exception ex) { e = ex; }
            return (e, Loop.Time() - t0);
        });
        Assert.IsType<TimeoutException>(error);
        Assert.Equal(1.0, elapsed, 3);   // exactly the deadline, not the 10 s of the operation
    }

    [Fact]
    public async Task TaskRef_CancelledByMessage_IsSeenTerminatedByAWatchingProbe()
    {
        var probe = CreateTestProbe();
        var worker = await RunAsync(() => Task.FromResult(Aio.CreateTask(async () =>
        {
            probe.Ref.Tell("started");
            await Aio.GetRunningLoop().CreateFuture();   // waits until cancelled
        }, name: "worker")));

        probe.ExpectMsg("started");
        probe.Watch(worker.Ref);
        worker.Ref.Tell(new TaskProtocol.Cancel("stop"));   // what any actor, local or remote, can send
        probe.ExpectTerminated(worker.Ref);
        Assert.True(worker.IsCancelled);
    }

    [Fact]
    public async Task AdvanceTime_WhileATaskWaitsOnAnActor_ReachesTheDeadline()
    {
        var probe = CreateTestProbe();
        var call = RunAsync(async () =>
        {
            var ask = Aio.CreateTask(() => probe.Ref.Ask<string>("ping", Aio.CurrentTask()!.CancellationToken));
            List<AioTask<string>> asks = [ask];
            var (_, pending) = await Aio.Wait(asks, timeout: 5);
            ask.Cancel();                                  // its token cancels the Ask
            return pending.Count;
        });

        // The ask task now awaits a plain .NET task: real work the virtual clock must not jump past, so the
        // 5 s deadline is reached only when the test moves the clock by hand.
        probe.ExpectMsg("ping");
        AdvanceTime(TimeSpan.FromSeconds(5));

        Assert.Equal(1, await call);                       // still pending at the deadline
    }
}
