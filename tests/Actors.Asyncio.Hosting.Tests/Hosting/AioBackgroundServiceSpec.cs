using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Actors.Asyncio.Hosting.Tests.Hosting;

/// <summary>The shape docs/getting-started.md shows: a BackgroundService whose ExecuteAsync is a coroutine on the loop,
/// cancelled by the host's stopping token. Stopping the host must look like a clean stop, not a crashed service.</summary>
public class AioBackgroundServiceSpec
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    private sealed class Ticker(AioEventLoop loop) : BackgroundService
    {
        public TaskCompletionSource Ticking { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource CleanedUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            loop.RunAsync(async () =>
            {
                try
                {
                    while (true)
                    {
                        Ticking.TrySetResult();
                        await Aio.Sleep(0.01);
                    }
                }
                finally { CleanedUp.TrySetResult(); }
            }, stoppingToken);
    }

    [Fact]
    public async Task HostStop_CancelsTheCoroutine_ServiceEndsCanceledNotFaulted()
    {
        var capture = new CapturingLoggerProvider();
        using var host = new HostBuilder()
            .ConfigureLogging(l => l.AddProvider(capture))
            .ConfigureServices(services =>
            {
                services.AddAkka("background-spec", akka => akka
                    .AddHocon("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING", HoconAddMode.Prepend)
                    .WithAioEventLoop("io-loop"));
                services.AddAioEventLoops();
                services.AddSingleton<Ticker>().AddHostedService(sp => sp.GetRequiredService<Ticker>());
            })
            .Build();
        await host.StartAsync().WaitAsync(Guard);
        var ticker = host.Services.GetRequiredService<Ticker>();
        await ticker.Ticking.Task.WaitAsync(Guard);

        await host.StopAsync().WaitAsync(Guard);

        await ticker.CleanedUp.Task.WaitAsync(Guard);
        Assert.True(ticker.ExecuteTask!.IsCanceled, $"ExecuteTask is {ticker.ExecuteTask.Status}, not Canceled");
        await Assert.ThrowsAsync<CancelledException>(() => ticker.ExecuteTask);   // awaiting still throws asyncio's exception
        Assert.DoesNotContain(capture.Entries, e => e.Level >= LogLevel.Error);
        Assert.False(host.Services.GetRequiredService<ActorSystem>().Settings.Config
            .GetBoolean("akka.coordinated-shutdown.run-by-clr-shutdown-hook"));   // the host, not process exit, drives shutdown
    }
}
