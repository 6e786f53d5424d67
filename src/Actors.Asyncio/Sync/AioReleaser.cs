using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>What <c>await AcquireAsync()</c> of a lock, semaphore or condition returns: disposing it releases what was
/// acquired (asyncio's <c>async with lock:</c> is <c>using (await l.AcquireAsync()) { … }</c>).</summary>
/// <remarks>A struct, so the uncontended acquire allocates nothing. Dispose it once: each Dispose is one
/// <c>Release()</c>. The default value releases nothing.</remarks>
public readonly struct AioReleaser : IDisposable
{
    private readonly ISyncReleasable? _owner;

    internal AioReleaser(ISyncReleasable owner) => _owner = owner;

    /// <summary>Releases the lock or semaphore this value came from (its <c>Release()</c>, with the same exceptions).</summary>
    public void Dispose() => _owner?.Release();
}
