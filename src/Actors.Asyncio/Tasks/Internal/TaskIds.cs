namespace Actors.Asyncio.Internal;

/// <summary>The process-wide task counter behind "Task-&lt;n&gt;" names and <c>task-&lt;n&gt;</c> ref paths. Outside the
/// generic <see cref="AioTask{T}"/> because a static field there is one per result type: an <c>AioTask&lt;int&gt;</c>
/// and an <c>AioTask&lt;string&gt;</c> both got "Task-1", and their refs the same path.</summary>
internal static class TaskIds
{
    private static long s_counter;

    public static long Next() => Interlocked.Increment(ref s_counter);
}
