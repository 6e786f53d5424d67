using Akka;

namespace Actors.Asyncio;

/// <summary>asyncio.Task of a coroutine without a result (a <c>Func&lt;Task&gt;</c>); see <see cref="AioTask{T}"/>.</summary>
/// <remarks>Its result type is Akka's <see cref="NotUsed"/>, so it is a future like any other task.</remarks>
public class AioTask : AioTask<NotUsed>
{
    internal AioTask(AioEventLoop loop, Func<Task> coroutine, string? name) : base(loop, coroutine, name) { }

    /// <summary>Lets <c>await task</c> wait for the task and rethrow its exception.</summary>
    public new AioFutureAwaiter GetAwaiter() => new(this);

    private protected override Task InvokeCoroutine(object function) => ((Func<Task>)function)();

    private protected override NotUsed CoroutineResult(Task completed) => NotUsed.Instance;
}
