using Akka.Actor;
using Akka.Configuration;

namespace Actors.Asyncio.Bench.Harness;

/// <summary>What a scenario run needs: the size switch and the shared Actors.Asyncio loop and actor system.</summary>
public sealed class BenchContext : IAsyncDisposable
{
    private ActorSystem? _system;
    private AioEventLoop? _loop;

    /// <summary>Creates a context; the actor system and the loop are made on first use.</summary>
    public BenchContext(bool quick) => Quick = quick;

    /// <summary>Small counts: every scenario well under a second (the test suite's smoke run).</summary>
    public bool Quick { get; }

    /// <summary>The full count, or the quick one.</summary>
    public int Pick(int full, int quick) => Quick ? quick : full;

    /// <summary>The full value, or the quick one.</summary>
    public double Pick(double full, double quick) => Quick ? quick : full;

    /// <summary>One actor system shared by the Actors.Asyncio loop and the raw Akka baselines.</summary>
    public ActorSystem System => _system ??= ActorSystem.Create("bench",
        ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(AioConfig.Default));

    /// <summary>The loop every Actors.Asyncio run executes on.</summary>
    public AioEventLoop Loop => _loop ??= AioEventLoop.Create(System, "bench");

    /// <summary>Runs <paramref name="coroutine"/> as a task on <see cref="Loop"/> (as asyncio.run would run main).</summary>
    public Task<Sample> OnLoop(Func<Task<Sample>> coroutine) => Loop.RunAsync(coroutine);

    /// <summary>Closes the loop and terminates the actor system.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_loop != null) await _loop.DisposeAsync();
        if (_system != null) await _system.Terminate();
    }
}
