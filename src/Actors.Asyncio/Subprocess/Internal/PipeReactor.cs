using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using static Actors.Asyncio.Internal.SubprocessNative;

namespace Actors.Asyncio.Internal;

/// <summary>Something the reactor tells when its descriptor is ready. Runs on the reactor thread: must not block.</summary>
internal interface IPipeReadyHandler
{
    void OnReady(uint events);
}

/// <summary>
/// One epoll thread for every pipe of every child of every loop (asyncio's selector, shared): descriptors are
/// non-blocking and registered one-shot, so a handler is re-armed only when it wants more.
/// </summary>
/// <remarks>
/// Why not FileStream.ReadAsync on the pipe: on Unix it is a blocking read(2) parked on a thread-pool thread until the
/// child writes, so a few quiet children starve the pool (on 2 cores, two pipes already did: SIGCHLD handling and task
/// continuations then waited seconds for thread injection). Events carry a registration id, not the fd, so a stale
/// event for a closed descriptor whose number was reused finds nobody.
/// </remarks>
internal sealed class PipeReactor
{
    private static readonly Lazy<PipeReactor> s_instance = new(() => new PipeReactor());
    // struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16).
    private static readonly bool s_packed = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;
    private static readonly int s_stride = s_packed ? 12 : 16;
    private static readonly int s_dataOffset = s_packed ? 4 : 8;

    private readonly int _epfd;
    private readonly ConcurrentDictionary<long, IPipeReadyHandler> _handlers = new();
    private long _nextId;

    private PipeReactor()
    {
        _epfd = epoll_create1(EPOLL_CLOEXEC);
        if (_epfd < 0) throw new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError());
        new Thread(Run) { IsBackground = true, Name = "aio-pipe-reactor" }.Start();
    }

    public static PipeReactor Instance => s_instance.Value;

    /// <summary>Registers <paramref name="fd"/> (one-shot, disarmed until <see cref="Arm"/>); returns the id.</summary>
    public long Register(int fd, IPipeReadyHandler handler)
    {
        long id = Interlocked.Increment(ref _nextId);
        _handlers[id] = handler;
        // One-shot even before the first Arm: a hang-up is always reported, and without one-shot a broken stdin pipe
        // nobody is writing to would wake the reactor in a loop.
        Ctl(EPOLL_CTL_ADD, fd, EPOLLONESHOT, id);
        return id;
    }

    /// <summary>Reports <paramref name="events"/> on <paramref name="fd"/> once. Any thread.</summary>
    public void Arm(int fd, long id, uint events) => Ctl(EPOLL_CTL_MOD, fd, events | EPOLLONESHOT, id);

    /// <summary>Forgets <paramref name="fd"/>; call before closing it.</summary>
    public void Unregister(int fd, long id)
    {
        _handlers.TryRemove(id, out _);
        Ctl(EPOLL_CTL_DEL, fd, 0, id);
    }

    [ThreadStatic] private static byte[]? t_event;

    private void Ctl(int op, int fd, uint events, long id)
    {
        var ev = t_event ??= new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(ev, events);
        BinaryPrimitives.WriteInt64LittleEndian(ev.AsSpan(s_dataOffset), id);
        epoll_ctl(_epfd, op, fd, ev);   // failures (fd already gone) leave nothing to do
    }

    private void Run()
    {
        const int max = 64;
        var events = new byte[s_stride * max];
        while (true)
        {
            int n = epoll_wait(_epfd, events, max, -1);
            if (n < 0) continue;        // EINTR
            for (int i = 0; i < n; i++)
            {
                var e = events.AsSpan(i * s_stride);
                uint flags = BinaryPrimitives.ReadUInt32LittleEndian(e);
                long id = BinaryPrimitives.ReadInt64LittleEndian(e[s_dataOffset..]);
                if (!_handlers.TryGetValue(id, out var handler)) continue;
                try { handler.OnReady(flags); }
                // Handlers report their own errors to their loop; one that escapes must not stop every other pipe.
                catch (Exception ex) { System.Diagnostics.Trace.TraceError("aio-pipe-reactor: a pipe handler threw: {0}", ex); }
            }
        }
    }
}
