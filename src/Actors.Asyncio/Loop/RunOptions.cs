namespace Actors.Asyncio;

/// <summary>Options of <see cref="Aio.Run{T}(Func{Task{T}}, RunOptions?)"/> and <see cref="AioEventLoop.Create"/>
/// (asyncio.run's <c>debug=</c>); unset members come from the HOCON section <c>actors.asyncio</c>.</summary>
public sealed class RunOptions
{
    /// <summary>asyncio debug mode: warn when one step of a task blocks the loop longer than
    /// <see cref="SlowCallbackDuration"/>. Null: <c>actors.asyncio.debug</c>.</summary>
    public bool? Debug { get; init; }

    /// <summary>asyncio's <c>loop.slow_callback_duration</c>. Null: <c>actors.asyncio.slow-callback-duration</c> (100 ms).</summary>
    public TimeSpan? SlowCallbackDuration { get; init; }

    /// <summary>Run the loop on a virtual clock: when no task can run and no real work is in flight, the clock jumps
    /// to the next timer, so sleeps and timeouts take no real time (what <c>AioTestKit</c> uses).</summary>
    public bool VirtualTime { get; init; }
}
