namespace Actors.Asyncio;

/// <summary>When <see cref="Aio.Wait{TTask}(IEnumerable{TTask}, double?, ReturnWhen)"/> returns (asyncio's
/// <c>return_when</c> constants).</summary>
public enum ReturnWhen
{
    /// <summary>asyncio.ALL_COMPLETED: when every task/future is done (or the timeout passes).</summary>
    AllCompleted,

    /// <summary>asyncio.FIRST_COMPLETED: when any one is done.</summary>
    FirstCompleted,

    /// <summary>asyncio.FIRST_EXCEPTION: when any one fails with an exception (a cancellation does not count);
    /// when none does, as <see cref="AllCompleted"/>.</summary>
    FirstException,
}
