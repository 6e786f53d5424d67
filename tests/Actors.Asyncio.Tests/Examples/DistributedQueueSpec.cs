using Actors.Asyncio.Examples;
using Akka.Actor;
using Xunit;

namespace Actors.Asyncio.Tests.Examples;

[Collection(SocketsCollection.Name)]
public class DistributedQueueSpec
{
    [Fact]
    public async Task HostAndWorker_TwoSystemsOverTcp_WorkerProcessesEveryJob()
    {
        var hostSystem = DistributedQueueExample.CreateSystem(DistributedQueueExample.HostSystemName, "127.0.0.1", 0);
        var workerSystem = DistributedQueueExample.CreateSystem("jobs-worker", "127.0.0.1", 0);
        var hostOut = new StringWriter();
        var workerOut = new StringWriter();
        try
        {
            await using var hostLoop = AioEventLoop.Create(hostSystem, "host");
            await using var workerLoop = AioEventLoop.Create(workerSystem, "worker");
            var host = hostLoop.RunAsync(() => DistributedQueueExample.HostAsync(hostSystem, hostOut, 100));
            var address = ((ExtendedActorSystem)hostSystem).Provider.DefaultAddress;
            var processed = await workerLoop.RunAsync(() => DistributedQueueExample.WorkerAsync(workerSystem, address, workerOut))
                .WaitAsync(TimeSpan.FromSeconds(30));
            await host.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(100, processed);
            var hostLines = SayAfterSpec.Lines(hostOut);
            Assert.StartsWith("host: queue 'jobs' published at akka.tcp://jobs-host@127.0.0.1:", hostLines[0]);
            Assert.Equal(["host: all 100 jobs queued", "host: all 100 jobs done"], hostLines[1..]);
            var workerLines = SayAfterSpec.Lines(workerOut);
            Assert.StartsWith("worker: opened <AioQueue \"jobs\" at akka.tcp://jobs-host@127.0.0.1:", workerLines[0]);
            Assert.Equal("worker: processed 100 jobs; the queue is shut down", workerLines[^1]);
        }
        finally
        {
            await Task.WhenAll(hostSystem.Terminate(), workerSystem.Terminate()).WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
