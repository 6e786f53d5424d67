using Akka.Actor;
using Akka.Configuration;

namespace Actors.Asyncio.Examples;

/// <summary>A queue published by one process and drained by workers in others, over Akka.Remote.</summary>
public static class DistributedQueueExample
{
    /// <summary>The actor system name of the host process (part of its address).</summary>
    public const string HostSystemName = "jobs-host";

    /// <summary>An actor system reachable over TCP on <paramref name="hostname"/>:<paramref name="port"/> (0 = any free port).</summary>
    /// <param name="name">The system's name.</param>
    /// <param name="hostname">The interface to bind.</param>
    /// <param name="port">The port; 0 picks a free one.</param>
    public static ActorSystem CreateSystem(string name, string hostname, int port) =>
        ActorSystem.Create(name, ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            akka.actor.provider = remote
            akka.remote.log-remote-lifecycle-events = off
            akka.remote.dot-netty.tcp { hostname = "{{hostname}}", port = {{port}} }
            """).WithFallback(AioConfig.Default));

    /// <summary>The host: publishes the queue "jobs", puts <paramref name="items"/> jobs (waiting while 10 are queued),
    /// waits until workers marked every one done, then shuts the queue down so the workers stop.</summary>
    /// <param name="system">The host's actor system.</param>
    /// <param name="output">Where to print.</param>
    /// <param name="items">How many jobs.</param>
    public static async Task HostAsync(ActorSystem system, TextWriter output, int items)
    {
        var jobs = new AioQueue<string>(maxSize: 10);
        jobs.Publish("jobs");
        output.WriteLine($"host: queue 'jobs' published at {((ExtendedActorSystem)system).Provider.DefaultAddress}");
        for (int i = 1; i <= items; i++) await jobs.PutAsync($"job-{i}");   // waits while 10 jobs are queued
        output.WriteLine($"host: all {items} jobs queued");
        await jobs.JoinAsync();                                             // every job marked done by some worker
        output.WriteLine($"host: all {items} jobs done");
        jobs.Shutdown();                                                    // workers' next get raises QueueShutDown
        await Aio.Sleep(0.5);                                               // let the workers hear it
        jobs.Unpublish();
    }

    /// <summary>A worker: opens "jobs" on the host, runs three consumer tasks until the queue shuts down, returns how
    /// many jobs it processed.</summary>
    /// <param name="system">The worker's actor system.</param>
    /// <param name="host">The host's address, e.g. akka.tcp://jobs-host@127.0.0.1:4053.</param>
    /// <param name="output">Where to print.</param>
    public static async Task<int> WorkerAsync(ActorSystem system, Address host, TextWriter output)
    {
        var jobs = await AioQueue<string>.OpenAsync(system, "jobs", host);
        output.WriteLine($"worker: opened {jobs}");
        int processed = 0;
        async Task Consume(int n)
        {
            while (true)
            {
                string job;
                try { job = await jobs.GetAsync(); }
                catch (QueueShutDownException) { return; }
                await Aio.Sleep(0.001);                                     // the work
                Interlocked.Increment(ref processed);
                jobs.TaskDone();
            }
        }
        await Aio.Gather(() => Consume(1), () => Consume(2), () => Consume(3));
        output.WriteLine($"worker: processed {processed} jobs; the queue is shut down");
        return processed;
    }
}
