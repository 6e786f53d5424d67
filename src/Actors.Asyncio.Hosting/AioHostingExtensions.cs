using Actors.Asyncio.Internal;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Actors.Asyncio;

/// <summary>Akka.Hosting integration: declare event loops on the <see cref="AkkaConfigurationBuilder"/> and inject them
/// into hosted services.</summary>
/// <example><code>
/// services.AddAkka("app", akka =&gt; akka
///     .ConfigureLoggers(l =&gt; l.AddLoggerFactory())           // the loops' warnings and errors reach ILogger
///     .WithAioEventLoop("io-loop", o =&gt; o.Debug = true));
/// services.AddAioEventLoops();                                // AioEventLoop and AioEventLoopRegistry become injectable
/// // in a hosted service:  public Worker(AioEventLoop loop) { … await loop.RunAsync(() =&gt; WorkAsync()); … }
/// </code></example>
public static class AioHostingExtensions
{
    /// <summary>Declares an asyncio event loop (asyncio.new_event_loop) that lives as long as the actor system: it is
    /// created when the system starts, and closed (its pending tasks cancelled and awaited, asyncio.run's teardown) in
    /// the <see cref="CoordinatedShutdown"/> phase <see cref="AioEventLoopOptions.ShutdownPhase"/> when the host stops.</summary>
    /// <remarks>
    /// The library's reference HOCON (<see cref="AioConfig.Default"/>) is added under the application's own configuration,
    /// so any <c>actors.asyncio</c> key the application sets wins, whether its <c>AddHocon</c> comes before or after this
    /// call. It also appends <c>akka.coordinated-shutdown.run-by-clr-shutdown-hook = off</c>: the host's stop runs
    /// CoordinatedShutdown after the services that use the loops have stopped, whereas Akka's process-exit hook would
    /// run it first on SIGTERM and close the loops under them. The first loop declared is the default one: an unkeyed <see cref="AioEventLoop"/> from dependency injection,
    /// and the loop actor registered under the key <see cref="AioEventLoop"/> in the ActorRegistry. Every loop is
    /// available by name from <see cref="AioEventLoopRegistry.Get"/> and as a keyed service (<c>[FromKeyedServices("io-loop")]</c>).
    /// </remarks>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="name">The loop's name: its thread is <c>aio-loop-&lt;name&gt;</c> and its HOCON section
    /// <c>actors.asyncio.loops.&lt;name&gt;</c>.</param>
    /// <param name="configure">Sets code-level options; what it leaves unset comes from HOCON.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or a loop of that name was already declared.</exception>
    public static AkkaConfigurationBuilder WithAioEventLoop(this AkkaConfigurationBuilder builder, string name = "main",
        Action<AioEventLoopOptions>? configure = null) =>
        Declare(builder, name, configure, registryKey: null);

    /// <summary>As <see cref="WithAioEventLoop(AkkaConfigurationBuilder, string, Action{AioEventLoopOptions}?)"/>, and
    /// also registers the loop's actor in the ActorRegistry under <typeparamref name="TKey"/>
    /// (<c>IRequiredActor&lt;TKey&gt;</c>), for applications with several loops.</summary>
    /// <typeparam name="TKey">The ActorRegistry key of the loop's actor.</typeparam>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="name">The loop's name.</param>
    /// <param name="configure">Sets code-level options; what it leaves unset comes from HOCON.</param>
    /// <returns>The same builder.</returns>
    public static AkkaConfigurationBuilder WithAioEventLoop<TKey>(this AkkaConfigurationBuilder builder, string name,
        Action<AioEventLoopOptions>? configure = null) =>
        Declare(builder, name, configure, typeof(TKey));

    /// <summary>Makes the loops declared with <c>WithAioEventLoop</c> injectable: <see cref="AioEventLoopRegistry"/>, an
    /// unkeyed <see cref="AioEventLoop"/> (the first declared loop) and a keyed <see cref="AioEventLoop"/> per loop name.
    /// Resolving one before the host started creates the actor system and that loop early; both stay the same
    /// instances afterwards. Idempotent.</summary>
    /// <param name="services">The host's services, where <c>AddAkka</c> registers the actor system.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddAioEventLoops(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => AioEventLoopRegistry.For(sp.GetRequiredService<ActorSystem>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<AioEventLoopRegistry>().Default);
        services.TryAddKeyedSingleton<AioEventLoop>(KeyedService.AnyKey, (sp, key) =>
            sp.GetRequiredService<AioEventLoopRegistry>().Get(key as string
                ?? throw new InvalidOperationException($"Cannot resolve an AioEventLoop keyed by [{key}]: loops are keyed by their name (a string), as given to WithAioEventLoop.")));
        return services;
    }

    private static AkkaConfigurationBuilder Declare(AkkaConfigurationBuilder builder, string name,
        Action<AioEventLoopOptions>? configure, Type? registryKey)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = new AioEventLoopOptions();
        configure?.Invoke(options);
        var setup = builder.Setups.OfType<AioEventLoopsSetup>().FirstOrDefault();
        if (setup == null)
        {
            setup = new AioEventLoopsSetup();
            builder.AddSetup(setup);
            // Under a host, the host's stop runs CoordinatedShutdown (Akka.Hosting's StopAsync) after the services
            // registered after AddAkka have stopped. Akka's own process-exit hook would run it first on SIGTERM (the
            // .NET 10 default), closing loops under services that still use them. Appended: the app's own setting (made before, or with Prepend) wins.
            builder.AddHocon("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Append);
            // Once per builder: the loops are created when the system starts, before hosted services registered after
            // AddAkka start, so those can use them from StartAsync on.
            builder.WithActors((system, registry) => AioEventLoopRegistry.For(system).StartAll(registry));
        }
        setup.Declare(new LoopDeclaration(name, options.Copy(), registryKey));
        return builder;
    }
}
