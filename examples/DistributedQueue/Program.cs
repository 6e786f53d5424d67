using Actors.Asyncio;
using Actors.Asyncio.Examples;
using Akka.Actor;

// dotnet run --project examples/DistributedQueue -- host --port 4053 [--items 200]
// dotnet run --project examples/DistributedQueue -- worker --host 127.0.0.1:4053
string Arg(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

switch (args.FirstOrDefault())
{
    case "host":
    {
        var system = DistributedQueueExample.CreateSystem(DistributedQueueExample.HostSystemName, "127.0.0.1", int.Parse(Arg("--port", "4053")));
        using (var loop = AioEventLoop.Create(system))
            loop.RunUntilComplete(() => DistributedQueueExample.HostAsync(system, Console.Out, int.Parse(Arg("--items", "200"))));
        system.Terminate().Wait();
        return 0;
    }
    case "worker":
    {
        var hostPort = Arg("--host", "127.0.0.1:4053").Split(':');
        var system = DistributedQueueExample.CreateSystem("jobs-worker", "127.0.0.1", 0);
        var host = new Address("akka.tcp", DistributedQueueExample.HostSystemName, hostPort[0], int.Parse(hostPort[1]));
        using (var loop = AioEventLoop.Create(system))
            loop.RunUntilComplete(() => DistributedQueueExample.WorkerAsync(system, host, Console.Out));
        system.Terminate().Wait();
        return 0;
    }
    default:
        Console.Error.WriteLine("usage: host --port 4053 [--items 200] | worker --host 127.0.0.1:4053");
        return 2;
}
