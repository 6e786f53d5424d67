namespace Actors.Asyncio;

/// <summary>Where a child's stdin, stdout or stderr goes: asyncio's <c>None</c>, <c>subprocess.PIPE</c>,
/// <c>subprocess.DEVNULL</c> and <c>subprocess.STDOUT</c>.</summary>
public enum Redirect
{
    /// <summary>The child shares this process's stream (asyncio's <c>None</c>, the default).</summary>
    Inherit = 0,

    /// <summary>A pipe to this process: <see cref="AioProcess.Stdin"/> is an <see cref="AioStreamWriter"/>,
    /// <see cref="AioProcess.Stdout"/>/<see cref="AioProcess.Stderr"/> an <see cref="AioStreamReader"/> (<c>PIPE</c>).</summary>
    Pipe = 1,

    /// <summary><c>/dev/null</c>: stdin reads EOF at once, output is discarded (<c>DEVNULL</c>).</summary>
    DevNull = 2,

    /// <summary>stderr only: goes wherever stdout goes, so <see cref="AioProcess.Stderr"/> is null (<c>STDOUT</c>).
    /// Given for stdin or stdout it throws <see cref="ArgumentException"/>.</summary>
    Stdout = 3,
}
