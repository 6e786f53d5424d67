using System.Collections.Concurrent;
using Akka.Actor;

namespace Actors.Asyncio.Internal;

/// <summary>Per actor system: the queues published in it (name → host actor), the protocol serializer (registered
/// once) and the remote-queue settings.</summary>
internal sealed class RemoteQueueRegistry : IExtension
{
    public const string HostPrefix = "aio-queue-";
    private static int s_clients;

    private readonly ConcurrentDictionary<string, IActorRef> _published = new();

    public RemoteQueueRegistry(ExtendedActorSystem system)
    {
        System = system;
        AioConfig.InjectInto(system);
        var config = system.Settings.Config.GetConfig("actors.asyncio.remote-queue");
        OpenTimeout = config.GetTimeSpan("open-timeout", TimeSpan.FromSeconds(10));
        var serializer = new RemoteQueueSerializer(system);
        system.Serialization.AddSerializer("aio-remote-queue", serializer);
        foreach (var type in RemoteQueueSerializer.Types) system.Serialization.AddSerializationMap(type, serializer);
        Directory = LoadDirectory(system, config.GetString("directory", "auto"));
    }

    /// <summary>The directory OpenAsync consults when no node is given, or null.</summary>
    public IAioQueueDirectory? Directory { get; }

    public const string ClusterDirectoryType = "Actors.Asyncio.ClusterQueueDirectory, Actors.Asyncio.Cluster";

    private static IAioQueueDirectory? LoadDirectory(ExtendedActorSystem system, string setting)
    {
        switch (setting)
        {
            case "off" or "none" or "":
                return null;
            case "auto":
            {
                if (!system.Provider.GetType().Name.Contains("Cluster", StringComparison.Ordinal)) return null;
                var type = Type.GetType(ClusterDirectoryType, throwOnError: false);
                return type == null ? null : (IAioQueueDirectory?)Activator.CreateInstance(type);
            }
            default:
            {
                var type = Type.GetType(setting, throwOnError: false)
                    ?? throw new Akka.Configuration.ConfigurationException($"Cannot load actors.asyncio.remote-queue.directory = \"{setting}\": no such type; give an assembly-qualified name of an IAioQueueDirectory, auto or off.");
                return Activator.CreateInstance(type) as IAioQueueDirectory
                    ?? throw new Akka.Configuration.ConfigurationException($"Cannot use {setting} as actors.asyncio.remote-queue.directory: it does not implement IAioQueueDirectory.");
            }
        }
    }

    public ExtendedActorSystem System { get; }

    /// <summary>actors.asyncio.remote-queue.open-timeout.</summary>
    public TimeSpan OpenTimeout { get; }

    public static RemoteQueueRegistry Get(ActorSystem system) => system.WithExtension<RemoteQueueRegistry, RemoteQueueRegistryProvider>();

    public static string CheckName(string? name, string param)
    {
        if (string.IsNullOrEmpty(name) || !ActorPath.IsValidPathElement(HostPrefix + name)) throw Errors.RemoteQueueBadName(name, param);
        return name;
    }

    public bool TryRegister(string name, IActorRef host) => _published.TryAdd(name, host);

    public void Unregister(string name, IActorRef host) => _published.TryRemove(new KeyValuePair<string, IActorRef>(name, host));

    public IActorRef? Lookup(string name) => _published.TryGetValue(name, out var host) ? host : null;

    public static string NextClientName(string name) => $"aio-queue-client-{name}-{Interlocked.Increment(ref s_clients)}";
}

internal sealed class RemoteQueueRegistryProvider : ExtensionIdProvider<RemoteQueueRegistry>
{
    public override RemoteQueueRegistry CreateExtension(ExtendedActorSystem system) => new(system);
}
