namespace Actors.Asyncio.Internal;

/// <summary>asyncio's default executor (a ThreadPoolExecutor): up to a fixed number of dedicated worker threads, made
/// on demand and retired when idle. Blocking work gets its own threads, so it can neither starve the .NET thread pool
/// (which Akka's default dispatcher runs on) nor the loop.</summary>
internal sealed class BoundedExecutor(string name, int maxWorkers, TimeSpan idleTimeout)
{
    private readonly object _lock = new();
    private readonly Queue<Action> _work = new();
    private readonly List<Thread> _threads = new();
    private int _idle;
    private bool _shutdown;

    public int MaxWorkers => maxWorkers;

    /// <summary>Queues <paramref name="job"/>; false once the executor is shut down.</summary>
    public bool Submit(Action job)
    {
        lock (_lock)
        {
            if (_shutdown) return false;
            _work.Enqueue(job);
            if (_idle > 0) Monitor.Pulse(_lock);
            else if (_threads.Count < maxWorkers)
            {
                var t = new Thread(Work) { IsBackground = true, Name = $"{name}-{_threads.Count}" };
                _threads.Add(t);
                t.Start();
            }
        }
        return true;
    }

    private void Work()
    {
        while (true)
        {
            Action job;
            lock (_lock)
            {
                while (_work.Count == 0)
                {
                    if (_shutdown) { _threads.Remove(Thread.CurrentThread); return; }
                    _idle++;
                    bool signalled = Monitor.Wait(_lock, idleTimeout);
                    _idle--;
                    if (!signalled && _work.Count == 0) { _threads.Remove(Thread.CurrentThread); return; }
                }
                job = _work.Dequeue();
            }
            job();
        }
    }

    /// <summary>asyncio's shutdown_default_executor: refuse new work, let queued and running jobs finish, and wait up to
    /// <paramref name="timeout"/> for the threads. Returns false when some were still running.</summary>
    public bool Shutdown(TimeSpan timeout)
    {
        Thread[] threads;
        lock (_lock)
        {
            _shutdown = true;
            Monitor.PulseAll(_lock);
            threads = _threads.ToArray();
        }
        var deadline = DateTime.UtcNow + timeout;
        foreach (var t in threads)
        {
            if (t == Thread.CurrentThread) continue;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !t.Join(left)) return false;
        }
        return true;
    }
}
