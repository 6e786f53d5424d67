using System.Diagnostics.CodeAnalysis;
using Actors.Asyncio.Internal;
using Akka;
using Akka.Actor;
using Akka.Configuration;

namespace Actors.Asyncio;

/// <summary>The named event loops of one actor system, as declared with
/// <see cref="AioHostingExtensions.WithAioEventLoop(Akka.Hosting.AkkaConfigurationBuilder, string, Action{AioEventLoopOptions}?)"/>:
/// each is created once (when the actor system starts, or on first <see cref="Get"/> if that comes earlier) and closed
/// once, in the <see cref="CoordinatedShutdown"/> phase of its options or when the system terminates.</summary>
/// <remarks>Resolve it from dependency injection (after <see cref="AioHostingExtensions.AddAioEventLoops"/>) or with
/// <see cref="For"/>. Thread-safe.</remarks>
public sealed class AioEventLoopRegistry : IExtension
{
    private readonly ExtendedActorSystem _system;
    private readonly IReadOnlyList<LoopDeclaration> _declared;
    private readonly Dictionary<string, AioEventLoop> _loops = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private bool _terminated;

    internal AioEventLoopRegistry(ExtendedActorSystem system)
    {
        _system = system;
        // The library's defaults go under everything the application configured, whatever order its AddHocon calls
        // and WithAioEventLoop came in (an Append made by WithAioEventLoop itself would shadow the app's later Appends).
        system.Settings.InjectTopLevelFallback(AioConfig.Default);
        _declared = system.Settings.Setup.Get<AioEventLoopsSetup>().HasValue
            ? system.Settings.Setup.Get<AioEventLoopsSetup>().Value.Loops.ToArray()
            : [];
        // A backstop for systems terminated without running CoordinatedShutdown (run-by-actor-system-terminate = off).
        system.RegisterOnTermination(OnTerminated);
    }

    /// <summary>The registry of <paramref name="system"/> (an Akka extension: one per system).</summary>
    public static AioEventLoopRegistry For(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.WithExtension<AioEventLoopRegistry, AioEventLoopRegistryProvider>();
    }

    /// <summary>The actor system whose loops these are.</summary>
    public ActorSystem System => _system;

    /// <summary>The names of the declared loops, in declaration order.</summary>
    public IReadOnlyList<string> Names => _declared.Select(d => d.Name).ToArray();

    /// <summary>The first declared loop: what an unkeyed <see cref="AioEventLoop"/> resolves to from dependency injection.</summary>
    /// <exception cref="InvalidOperationException">No loop was declared, or the actor system is shutting down.</exception>
    public AioEventLoop Default => _declared.Count > 0
        ? Get(_declared[0].Name)
        : throw new InvalidOperationException($"Cannot get the default event loop of {this}: no loop was declared; call WithAioEventLoop(\"name\") in AddAkka.");

    /// <summary>The loop named <paramref name="name"/>, created on first use with the options it was declared with.</summary>
    /// <exception cref="InvalidOperationException">No loop of that name was declared, or the actor system is shutting
    /// down (a loop is never created once its system began to stop).</exception>
    public AioEventLoop Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryGet(name, out var loop)) return loop;
        if (_declared.All(d => d.Name != name))
            throw new InvalidOperationException($"Cannot get the event loop '{name}' of {this}: no loop of that name was declared; call WithAioEventLoop(\"{name}\") in AddAkka (declared: {string.Join(", ", Names.Select(n => "'" + n + "'"))}).");
        throw new InvalidOperationException($"Cannot create the event loop '{name}' of {this}: the actor system is shutting down; get loops before the host stops.");
    }

    /// <summary>The loop named <paramref name="name"/> if it was declared and the system is not shutting down
    /// (creating it on first use); false otherwise.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out AioEventLoop? loop)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            if (_loops.TryGetValue(name, out loop)) return true;
            var declaration = _declared.FirstOrDefault(d => d.Name == name);
            if (declaration == null || _terminated || CoordinatedShutdown.Get(_system).ShutdownReason != null) return false;
            loop = Create(declaration);
            _loops.Add(name, loop);
            return true;
        }
    }

    /// <summary>Creates every declared loop and registers the first one's actor (and each keyed one's) in the
    /// Akka.Hosting ActorRegistry. Runs once, when the actor system starts.</summary>
    internal void StartAll(Akka.Hosting.IActorRegistry registry)
    {
        for (int i = 0; i < _declared.Count; i++)
        {
            var declaration = _declared[i];
            var loop = Get(declaration.Name);
            if (i == 0) registry.TryRegister(typeof(AioEventLoop), loop.ActorRef);
            if (declaration.RegistryKey != null) registry.TryRegister(declaration.RegistryKey, loop.ActorRef);
        }
    }

    private AioEventLoop Create(LoopDeclaration declaration)
    {
        var options = declaration.Options;
        AioEventLoop? loop = null;
        // Registered first: an unknown phase throws here, before a loop thread exists.
        try
        {
            CoordinatedShutdown.Get(_system).AddTask(options.ShutdownPhase, "close-aio-event-loop-" + declaration.Name, async () =>
            {
                if (loop != null) await loop.DisposeAsync().ConfigureAwait(false);
                return Done.Instance;
            });
        }
        catch (ConfigurationException e)
        {
            throw new InvalidOperationException($"Cannot create the event loop '{declaration.Name}': its ShutdownPhase [{options.ShutdownPhase}] is not a CoordinatedShutdown phase of {_system.Name}; use one of the CoordinatedShutdown.Phase* constants.", e);
        }
        loop = AioEventLoop.Create(_system, declaration.Name, new RunOptions
        {
            Debug = options.Debug,
            SlowCallbackDuration = options.SlowCallbackDuration,
        });
        if (options.ExceptionHandler != null) loop.SetExceptionHandler(options.ExceptionHandler);
        return loop;
    }

    private void OnTerminated()
    {
        AioEventLoop[] open;
        lock (_gate)
        {
            _terminated = true;
            open = _loops.Values.Where(l => !l.IsClosed).ToArray();
        }
        foreach (var loop in open) _ = loop.DisposeAsync().AsTask();
    }

    /// <summary>The system and the loops' states.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            var states = _declared.Select(d => _loops.TryGetValue(d.Name, out var l) ? (l.IsClosed ? $"{d.Name}: closed" : $"{d.Name}: running") : $"{d.Name}: not created");
            return $"<AioEventLoopRegistry of '{_system.Name}' [{string.Join(", ", states)}]>";
        }
    }
}
