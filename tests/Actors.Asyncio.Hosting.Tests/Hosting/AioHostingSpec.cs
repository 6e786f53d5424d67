using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Actors.Asyncio.Hosting.Tests.Hosting;

/// <summary>WithAioEventLoop under a real Microsoft.Extensions.Hosting host: created with the actor system, injectable,
/// closed (pending tasks cancelled) when the host stops.</summary>
public class AioHostingSpec
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    private static IHost BuildHost(Action<AkkaConfigurationBuilder> akka, Action<IServiceCollection>? before = null,
        Action<IServiceCollection>? after = null) =>
        new HostBuilder()
            .ConfigureServices(services =>
            {
                before?.Invoke(services);
                services.AddAkka("hosting-spec", builder =>
                {
                    builder.AddHocon("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING", HoconAddMode.Prepend);
                    akka(builder);
                });
                services.AddAioEventLoops();
                after?.Invoke(services);
            })
            .Build();

    /// <summary>A hosted service started after Akka (registered after AddAkka): runs work on the injected loop.</summary>
    private sealed class Worker(AioEventLoop loop) : IHostedService
    {
        public AioEventLoop Loop => loop;
        public string? ThreadName { get; private set; }
        public AioTask? Pending { get; private set; }
        public TaskCompletionSource<bool> PendingCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            ThreadName = await loop.RunAsync(async () =>
            {
                await Aio.Sleep(0.01);
                return Thread.CurrentThread.Name;
            }, cancellationToken);
            Pending = loop.CreateTask(async () =>
            {
                try { await Aio.Sleep(3600); }
                catch (CancelledException) { PendingCancelled.TrySetResult(true); throw; }
            }, name: "long-sleeper");
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task HostLifecycle_LoopRunsTasksWhileHostRuns_StopClosesLoopAndCancelsPendingTask()
    {
        using var host = BuildHost(a => a.WithAioEventLoop("io-loop"), after: s => s.AddSingleton<Worker>().AddHostedService(sp => sp.GetRequiredService<Worker>()));
        await host.StartAsync().WaitAsync(Guard);

        var worker = host.Services.GetRequiredService<Worker>();
        var loop = host.Services.GetRequiredService<AioEventLoop>();
        Assert.Same(loop, worker.Loop);
        Assert.Equal("io-loop", loop.Name);
        Assert.Equal("aio-loop-io-loop", worker.ThreadName);   // the task ran on the loop's own thread
        Assert.False(loop.IsClosed);
        Assert.Equal(7, await loop.RunAsync(async () => { await Aio.Sleep(0); return 7; }).WaitAsync(Guard));
        Assert.False(worker.Pending!.IsDone);

        await host.StopAsync().WaitAsync(Guard);

        Assert.True(loop.IsClosed);
        Assert.True(await worker.PendingCancelled.Task.WaitAsync(Guard));
        Assert.True(worker.Pending.IsCancelled);
        await host.Services.GetRequiredService<ActorSystem>().WhenTerminated.WaitAsync(Guard);
    }

    [Fact]
    public async Task Registry_DeclaredLoops_ResolvableByNameKeyAndActorRegistry()
    {
        using var host = BuildHost(a => a
            .WithAioEventLoop("first")
            .WithAioEventLoop<SecondLoopKey>("second"));
        await host.StartAsync().WaitAsync(Guard);
        try
        {
            var registry = host.Services.GetRequiredService<AioEventLoopRegistry>();
            var first = registry.Get("first");
            var second = host.Services.GetRequiredKeyedService<AioEventLoop>("second");
            Assert.Equal(["first", "second"], registry.Names);
            Assert.Same(first, registry.Default);
            Assert.Same(first, host.Services.GetRequiredService<AioEventLoop>());
            Assert.Same(second, registry.Get("second"));
            Assert.NotSame(first, second);
            Assert.Same(registry, AioEventLoopRegistry.For(host.Services.GetRequiredService<ActorSystem>()));

            var actors = host.Services.GetRequiredService<ActorRegistry>();
            Assert.Equal(first.ActorRef, await actors.GetAsync<AioEventLoop>().WaitAsync(Guard));
            Assert.Equal(second.ActorRef, await host.Services.GetRequiredService<IRequiredActor<SecondLoopKey>>().GetAsync().WaitAsync(Guard));
            Assert.Equal("aio-loop-second", await second.RunAsync(() => Task.FromResult(Thread.CurrentThread.Name)).WaitAsync(Guard));
            Assert.Contains("first: running", registry.ToString());
        }
        finally { await host.StopAsync().WaitAsync(Guard); }
    }

    private sealed class SecondLoopKey;

    [Fact]
    public async Task Get_UndeclaredName_ThrowsNamingTheDeclaredLoops()
    {
        using var host = BuildHost(a => a.WithAioEventLoop("io-loop"));
        await host.StartAsync().WaitAsync(Guard);
        try
        {
            var registry = host.Services.GetRequiredService<AioEventLoopRegistry>();
            var e = Assert.Throws<InvalidOperationException>(() => registry.Get("nope"));
            Assert.Contains("WithAioEventLoop(\"nope\")", e.Message);
            Assert.Contains("'io-loop'", e.Message);
            Assert.False(registry.TryGet("nope", out _));
        }
        finally { await host.StopAsync().WaitAsync(Guard); }
    }

    [Fact]
    public async Task AppHocon_WinsOverLibraryDefaults_WhateverTheOrderOfCalls()
    {
        using var host = BuildHost(a => a
            .AddHocon("actors.asyncio.slow-callback-duration = 250ms", HoconAddMode.Append)                   // before WithAioEventLoop
            .WithAioEventLoop("io-loop")
            .AddHocon("actors.asyncio.loops.io-loop.debug = on", HoconAddMode.Append));     // after it, as a fallback
        await host.StartAsync().WaitAsync(Guard);
        try
        {
            var loop = host.Services.GetRequiredService<AioEventLoop>();
            Assert.True(loop.Debug);
            Assert.Equal(TimeSpan.FromMilliseconds(250), loop.SlowCallbackDuration);
            var config = host.Services.GetRequiredService<ActorSystem>().Settings.Config;
            Assert.Equal(TimeSpan.FromSeconds(5), config.GetTimeSpan("actors.asyncio.shutdown-timeout"));   // the reference HOCON is there
        }
        finally { await host.StopAsync().WaitAsync(Guard); }
    }

    [Fact]
    public async Task Options_OverrideHocon_AndInstallTheExceptionHandler()
    {
        var reported = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = BuildHost(a => a
            .AddHocon("actors.asyncio.loops.io-loop.debug = on", HoconAddMode.Append)
            .WithAioEventLoop("io-loop", o =>
            {
                o.Debug = false;
                o.SlowCallbackDuration = TimeSpan.FromMilliseconds(40);
                o.ExceptionHandler = (_, context) => reported.TrySetResult((string)context["message"]!);
            }));
        await host.StartAsync().WaitAsync(Guard);
        try
        {
            var loop = host.Services.GetRequiredService<AioEventLoop>();
            Assert.False(loop.Debug);
            Assert.Equal(TimeSpan.FromMilliseconds(40), loop.SlowCallbackDuration);
            loop.CallSoonThreadsafe(() => throw new InvalidOperationException("boom"));
            Assert.StartsWith("Exception in callback", await reported.Task.WaitAsync(Guard));
        }
        finally { await host.StopAsync().WaitAsync(Guard); }
    }

    /// <summary>Registered before AddAkka: constructed (with its loop) before Akka's hosted service starts, stopped after it.</summary>
    private sealed class EarlyService(AioEventLoop loop) : IHostedService
    {
        public AioEventLoop Loop => loop;
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task ResolvedBeforeAkkaStarts_SameLoopAfterStart()
    {
        using var host = BuildHost(a => a.WithAioEventLoop("io-loop"),
            before: s => s.AddSingleton<EarlyService>().AddHostedService(sp => sp.GetRequiredService<EarlyService>()));
        await host.StartAsync().WaitAsync(Guard);
        var early = host.Services.GetRequiredService<EarlyService>();
        Assert.Same(early.Loop, host.Services.GetRequiredService<AioEventLoopRegistry>().Get("io-loop"));
        Assert.Equal(1, await early.Loop.RunAsync(() => Task.FromResult(1)).WaitAsync(Guard));
        await host.StopAsync().WaitAsync(Guard);
        Assert.True(early.Loop.IsClosed);
    }

    [Fact]
    public async Task SystemTerminatedWithoutCoordinatedShutdown_StillClosesLoops()
    {
        using var host = BuildHost(a => a
            .AddHocon("akka.coordinated-shutdown.run-by-actor-system-terminate = off", HoconAddMode.Prepend)
            .WithAioEventLoop("io-loop"));
        await host.StartAsync().WaitAsync(Guard);
        var loop = host.Services.GetRequiredService<AioEventLoop>();
        var pending = loop.CreateTask(() => Aio.Sleep(3600));
        await host.Services.GetRequiredService<ActorSystem>().Terminate().WaitAsync(Guard);
        var deadline = DateTime.UtcNow + Guard;
        while (!pending.IsDone && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.True(pending.IsCancelled);
        Assert.True(loop.IsClosed);
        await host.StopAsync().WaitAsync(Guard);
    }

    [Fact]
    public void SameNameTwice_FailsWhenTheSystemIsBuilt()
    {
        using var host = BuildHost(a => a.WithAioEventLoop("io-loop").WithAioEventLoop("io-loop"));
        var e = Assert.Throws<ArgumentException>(() => host.Services.GetRequiredService<ActorSystem>());
        Assert.Contains("'io-loop' twice", e.Message);
    }

    [Fact]
    public async Task UnknownShutdownPhase_FailsNamingThePhase()
    {
        using var host = BuildHost(a => a.WithAioEventLoop("io-loop", o => o.ShutdownPhase = "no-such-phase"));
        var registry = host.Services.GetRequiredService<AioEventLoopRegistry>();
        var e = Assert.Throws<InvalidOperationException>(() => registry.Get("io-loop"));
        Assert.Contains("[no-such-phase]", e.Message);
        await host.Services.GetRequiredService<ActorSystem>().Terminate().WaitAsync(Guard);
    }
}
