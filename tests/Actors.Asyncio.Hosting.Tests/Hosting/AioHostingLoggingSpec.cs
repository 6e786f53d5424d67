using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Actors.Asyncio.Hosting.Tests.Hosting;

/// <summary>The loop reports through Akka's logging; with Akka.Hosting's logger bridge
/// (<c>ConfigureLoggers(l =&gt; l.AddLoggerFactory())</c>) that reaches Microsoft.Extensions.Logging.</summary>
public class AioHostingLoggingSpec
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task LoopDiagnostics_WithLoggerFactoryBridge_ReachILogger()   // asyncio EH4 (never retrieved), EH5 (slow step)
    {
        var capture = new CapturingLoggerProvider();
        using var host = new HostBuilder()
            .ConfigureLogging(logging => logging.AddProvider(capture))
            .ConfigureServices(services =>
            {
                services.AddAkka("logging-spec", akka => akka
                    .ConfigureLoggers(loggers => loggers.AddLoggerFactory())
                    .WithAioEventLoop("io-loop", o =>
                    {
                        o.Debug = true;
                        o.SlowCallbackDuration = TimeSpan.FromMilliseconds(20);
                    }));
                services.AddAioEventLoops();
            })
            .Build();
        await host.StartAsync().WaitAsync(Guard);
        var loop = host.Services.GetRequiredService<AioEventLoop>();

        // A step that blocks the loop for 60 ms in debug mode: asyncio's "Executing <Task ...> took 0.060 seconds".
        await loop.RunAsync(async () =>
        {
            await Aio.CreateTask(async () => { await Aio.Sleep(0); Thread.Sleep(60); }, name: "blocker");
        }).WaitAsync(Guard);
        // A task whose exception nobody retrieves: reported when the loop closes at host stop, at the latest.
        var failing = loop.CreateTask(async () =>
        {
            await Aio.Sleep(0);
            throw new InvalidOperationException("lost failure");
        }, name: "forgotten");
        while (!failing.IsDone) await Task.Delay(5);
        failing = null;

        await host.StopAsync().WaitAsync(Guard);

        Assert.True(await capture.WaitForAsync(e => e.Level == LogLevel.Warning && e.Message.Contains("blocker") && e.Message.Contains(" took "), Guard),
            "no slow-step warning reached ILogger:\n" + capture.Dump());
        Assert.True(await capture.WaitForAsync(e => e.Level == LogLevel.Error && e.Message.Contains("Task exception was never retrieved")
                && (e.Exception?.Message == "lost failure" || e.Message.Contains("lost failure")), Guard),
            "no never-retrieved error reached ILogger:\n" + capture.Dump());
    }
}
