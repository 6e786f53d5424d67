using Akka;

namespace Actors.Asyncio;

/// <summary>asyncio.Task of a coroutine without a result (a <c>Func&lt;Task&gt;</c>); see <see cref="AioTask{T}"/>.</summary>
/// <remarks>Its result type is Akka's <see cref="NotUsed"/>, so it is a future like any other task.</remarks>
public class AioTask : AioTask<NotUsed>
{
    private Func<Task>? _voidCoroutine;

    internal AioTask(AioEventLoop loop, Func<Task> coroutine, string? name) : base(loop, null, name) => _voidCoroutine = coroutine;

    /// <summary>Lets <c>await task</c> wait for the task and rethrow its exception.</summary>
    public new AioFutureAwaiter GetAwaiter() => new(this);

    private protected override Task InvokeCoroutine()
    {
        var f = _voidCoroutine!;
        _voidCoroutine = null;
        return f() ?? throw new InvalidOperationException($"The coroutine of {this} returned null instead of a Task.");
    }

    private protected override NotUsed CoroutineResult(Task completed) => NotUsed.Instance;
}
