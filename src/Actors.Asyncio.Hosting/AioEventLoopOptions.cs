using Akka.Actor;

namespace Actors.Asyncio;

/// <summary>Code-level settings of one loop declared with
/// <see cref="AioHostingExtensions.WithAioEventLoop(Akka.Hosting.AkkaConfigurationBuilder, string, Action{AioEventLoopOptions}?)"/>.
/// A member left null falls back to the HOCON section <c>actors.asyncio.loops.&lt;name&gt;</c>, then to <c>actors.asyncio</c>.</summary>
public sealed class AioEventLoopOptions
{
    /// <summary>asyncio debug mode (<c>loop.set_debug</c>): a step that blocks the loop longer than
    /// <see cref="SlowCallbackDuration"/> is logged as a warning. Null: <c>actors.asyncio.debug</c>.</summary>
    public bool? Debug { get; set; }

    /// <summary>asyncio's <c>loop.slow_callback_duration</c>. Null: <c>actors.asyncio.slow-callback-duration</c> (100 ms).</summary>
    public TimeSpan? SlowCallbackDuration { get; set; }

    /// <summary>asyncio's <c>loop.set_exception_handler(handler)</c>, installed when the loop is created. Null keeps the
    /// default handler, which logs through Akka's logging (and so through <c>ILogger</c> when the Akka.Hosting logger
    /// bridge is configured).</summary>
    public Action<AioEventLoop, IReadOnlyDictionary<string, object?>>? ExceptionHandler { get; set; }

    /// <summary>The <see cref="CoordinatedShutdown"/> phase in which the loop is closed (its pending tasks cancelled and
    /// awaited) when the host stops. Default <see cref="CoordinatedShutdown.PhaseServiceStop"/>: after the host's own
    /// services registered after <c>AddAkka</c> have stopped, while actors, cluster and remoting still run.</summary>
    public string ShutdownPhase { get; set; } = CoordinatedShutdown.PhaseServiceStop;

    internal AioEventLoopOptions Copy() => new()
    {
        Debug = Debug,
        SlowCallbackDuration = SlowCallbackDuration,
        ExceptionHandler = ExceptionHandler,
        ShutdownPhase = ShutdownPhase,
    };
}
