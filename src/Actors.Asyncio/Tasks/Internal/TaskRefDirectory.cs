using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Akka.Actor;

namespace Actors.Asyncio.Internal;

/// <summary>The path node <c>/temp/aio-loop-&lt;name&gt;</c> under which a loop's task refs resolve, so a message or a
/// watch arriving over Akka.Remote for <c>/temp/aio-loop-main/task-7</c> reaches
/// the task's <see cref="TaskRef"/>. (An <see cref="ActorSelection"/> does not get there: the temp container drops
/// selections, for Akka's own ask refs too.)</summary>
/// <remarks>
/// Why here: the provider resolves a path by walking real actor cells, and a loop actor's cell only knows its real
/// children, so a minimal ref named after it is never found. The temp container (<c>/temp</c>, where Ask's refs live)
/// is a <c>VirtualPathContainer</c> that hands the rest of a path to the child it finds, and
/// <see cref="IActorRefProvider.RegisterTempActor"/> is on the provider interface, so this works with the local and the
/// remote provider alike without the library referencing Akka.Remote.
/// Entries are weak: a task ref stays resolvable exactly as long as its task object is alive (a running task is held by
/// its loop; a finished one by whoever keeps it), as asyncio keeps a result as long as the task is referenced. Only
/// materialised refs are entered. One directory per loop name and system; it is never removed, since task ids are
/// process-wide unique and a later loop of the same name simply shares it.
/// </remarks>
internal sealed class TaskRefDirectory : MinimalActorRef
{
    private const string TaskPrefix = "task-";
    private static readonly ConditionalWeakTable<IActorRefProvider, ConcurrentDictionary<string, TaskRefDirectory>> s_byProvider = new();

    private readonly ConcurrentDictionary<long, WeakReference<TaskRef>> _refs = new();
    // Our own count: ConcurrentDictionary.Count takes every lock of the table (up to 1024 of them), tens of µs.
    private int _count;
    private int _sweepAt = 1024;

    private TaskRefDirectory(IActorRefProvider provider, ActorPath path)
    {
        Provider = provider;
        Path = path;
    }

    public override ActorPath Path { get; }

    public override IActorRefProvider Provider { get; }

    /// <summary>The directory of <paramref name="loop"/>'s tasks, registered with the provider on first use.</summary>
    public static TaskRefDirectory For(AioEventLoop loop)
    {
        var byName = s_byProvider.GetValue(loop.Provider, static _ => new ConcurrentDictionary<string, TaskRefDirectory>());
        var name = loop.ActorRef.Path.Name;
        if (byName.TryGetValue(name, out var existing)) return existing;
        lock (byName)
        {
            if (byName.TryGetValue(name, out existing)) return existing;
            var provider = loop.Provider;
            var directory = new TaskRefDirectory(provider, provider.TempPath().Parent / name);
            provider.RegisterTempActor(directory, directory.Path);
            byName[name] = directory;
            return directory;
        }
    }

    /// <summary>The path of task <paramref name="id"/>'s ref; the ref resolves from then on while it is alive.</summary>
    public ActorPath Register(TaskRef taskRef, long id)
    {
        if (_refs.TryAdd(id, new WeakReference<TaskRef>(taskRef)) && Interlocked.Increment(ref _count) >= Volatile.Read(ref _sweepAt))
            Sweep();
        return Path / (TaskPrefix + id);
    }

    /// <summary>Drops the entries of collected tasks; runs when the table has doubled since the last sweep, so the
    /// cost per registration stays constant.</summary>
    private void Sweep()
    {
        lock (_refs)
        {
            if (Volatile.Read(ref _count) < _sweepAt) return;
            foreach (var (id, weak) in _refs)
                if (!weak.TryGetTarget(out _) && _refs.TryRemove(id, out _)) Interlocked.Decrement(ref _count);
            Volatile.Write(ref _sweepAt, Math.Max(1024, Volatile.Read(ref _count) * 2));
        }
    }

    public override IActorRef GetChild(IReadOnlyList<string> name)
    {
        if (name.Count == 0 || string.IsNullOrEmpty(name[0])) return this;
        var element = name[0];
        var uid = element.IndexOf('#');
        var span = uid < 0 ? element.AsSpan() : element.AsSpan(0, uid);
        if (name.Count == 1 && span.StartsWith(TaskPrefix) && long.TryParse(span[TaskPrefix.Length..], out var id)
            && _refs.TryGetValue(id, out var weak))
        {
            if (weak.TryGetTarget(out var taskRef)) return taskRef;
            if (_refs.TryRemove(id, out _)) Interlocked.Decrement(ref _count);
        }
        return ActorRefs.Nobody;
    }

    public override string ToString() => $"[{Path}] task refs of loop '{Path.Name}'";
}
