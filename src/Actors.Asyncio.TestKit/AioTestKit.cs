using Akka.Configuration;
using Xunit.Abstractions;

namespace Actors.Asyncio;

/// <summary>
/// A test base class for code that uses Actors.Asyncio: an Akka.TestKit (<c>Sys</c>, <c>TestActor</c>,
/// <c>CreateTestProbe</c>, <c>ExpectMsg</c>, <c>Watch</c>…) with one event loop under test, <see cref="Loop"/>.
/// </summary>
/// <remarks>
/// With <c>virtualTime: true</c> the loop's clock is virtual: whenever no task can run and no real work (executor
/// jobs, socket or pipe I/O, awaits of plain .NET tasks) is in flight, it jumps straight to the next timer, so an hour
/// of <c>Aio.Sleep</c> passes in microseconds and timeouts fire deterministically. Timers fire in deadline order, ties in
/// scheduling order, and one thread runs everything, so a test gives the same interleaving on every run.
/// At dispose, tasks the test left pending are cancelled and awaited; one that swallows the cancellation fails the test.
/// </remarks>
public class AioTestKit : Akka.TestKit.Xunit2.TestKit
{
    private static readonly Config TestDefaults = ConfigurationFactory.ParseString(
        "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off");

    /// <summary>A test kit whose loop runs on a virtual clock (<paramref name="virtualTime"/>, the default) or in real time.</summary>
    /// <param name="output">xunit's output helper: the actor system's log goes there.</param>
    /// <param name="virtualTime">Run the loop under test on a virtual clock.</param>
    /// <param name="config">HOCON over the library's defaults (e.g. <c>actors.asyncio.debug = on</c>).</param>
    public AioTestKit(ITestOutputHelper? output = null, bool virtualTime = true, Config? config = null)
        : base((config ?? Config.Empty).WithFallback(TestDefaults).WithFallback(AioConfig.Default), "aio-test", output)
    {
        Loop = AioEventLoop.Create(Sys, "test", new RunOptions { VirtualTime = virtualTime });
    }

    /// <summary>The loop under test: every <see cref="RunAsync{T}"/> runs on it.</summary>
    public AioEventLoop Loop { get; }

    /// <summary>How long a test's coroutine may take in real time before the test fails (a guard, not a timing
    /// assertion). Default 30 s.</summary>
    protected TimeSpan RealTimeGuard { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long, in real time, tasks left pending get at dispose to end after being cancelled before the test
    /// fails for swallowing the cancellation. Default 5 s.</summary>
    protected TimeSpan PendingTaskGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="coroutine"/> as a task on <see cref="Loop"/> and returns its result (its exception
    /// is rethrown as itself). Fails with <see cref="TimeoutException"/> past <see cref="RealTimeGuard"/>.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> coroutine)
    {
        var run = Loop.RunAsync(coroutine);
        if (await Task.WhenAny(run, Task.Delay(RealTimeGuard)).ConfigureAwait(false) != run)
            throw new TimeoutException($"The coroutine under test did not finish within {RealTimeGuard} of real time (loop time {Loop.Time():F3} s): is it waiting on something that never comes?");
        return await run.ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="coroutine"/> as a task on <see cref="Loop"/>; see <see cref="RunAsync{T}"/>.</summary>
    public Task RunAsync(Func<Task> coroutine) =>
        RunAsync(async () => { await coroutine(); return Akka.NotUsed.Instance; });

    /// <summary>Blocking form of <see cref="RunAsync{T}"/> (asyncio's run_until_complete).</summary>
    public T Run<T>(Func<Task<T>> coroutine) => RunAsync(coroutine).GetAwaiter().GetResult();

    /// <summary>Blocking form of <see cref="RunAsync(Func{Task})"/>.</summary>
    public void Run(Func<Task> coroutine) => RunAsync(coroutine).GetAwaiter().GetResult();

    /// <summary>Moves the virtual clock forward by <paramref name="delta"/>; timers due by then fire on the loop's next
    /// iteration. Thread-safe; returns once the clock has moved.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The loop runs in real time (<c>virtualTime: false</c>).</exception>
    public void AdvanceTime(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Cannot move the virtual clock backwards: pass a delta of zero or more.");
        if (!Loop.Clock.IsVirtual)
            throw new InvalidOperationException($"Cannot advance the clock of {Loop}: it runs in real time; create the test kit with virtualTime: true.");
        if (Loop.IsOnLoopThread) { Loop.AdvanceClock(delta.TotalSeconds); return; }
        var moved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Loop.CallSoonThreadsafe(() => { Loop.AdvanceClock(delta.TotalSeconds); moved.SetResult(); });
        moved.Task.Wait(RealTimeGuard);
    }

    /// <summary>Cancels and awaits the tasks left pending, fails if one swallowed its cancellation, closes the loop.</summary>
    protected override void AfterAll()
    {
        try
        {
            if (!Loop.IsClosed)
            {
                var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Loop.CallSoonThreadsafe(() => Loop.CancelAllTasks(drained, "the test is over"));
                if (!drained.Task.Wait(PendingTaskGrace))
                {
                    var left = Loop.RunCoroutineThreadsafe(() => Task.FromResult(string.Join(", ", Loop.AllTasks().Where(t => t != Aio.CurrentTask()))));
                    var names = left.Wait(TimeSpan.FromSeconds(5)) ? left.Result : "(unknown)";
                    Loop.Close();
                    throw new InvalidOperationException($"Tasks left pending by the test did not end when cancelled at dispose (they swallowed the cancellation): {names}.");
                }
                Loop.Close();
            }
        }
        finally
        {
            base.AfterAll();
        }
    }
}
