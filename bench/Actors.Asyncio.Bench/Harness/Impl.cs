namespace Actors.Asyncio.Bench.Harness;

/// <summary>The implementations a scenario is measured with, in table-column order.</summary>
public enum Impl
{
    /// <summary>This library.</summary>
    Aio,
    /// <summary>CPython asyncio, bench/python/&lt;scenario&gt;.py run as a subprocess.</summary>
    CPython,
    /// <summary>Plain .NET: Tasks, Channel, SemaphoreSlim, sockets, Process.</summary>
    DotNet,
    /// <summary>Nito.AsyncEx.Coordination.</summary>
    Nito,
    /// <summary>Raw Akka.NET actors / Akka.IO.</summary>
    Akka,
}

/// <summary>Column headings.</summary>
public static class ImplNames
{
    /// <summary>The heading of <paramref name="impl"/>'s column.</summary>
    public static string Of(Impl impl) => impl switch
    {
        Impl.Aio => "Actors.Asyncio",
        Impl.CPython => "CPython asyncio",
        Impl.DotNet => "plain .NET",
        Impl.Nito => "Nito.AsyncEx",
        Impl.Akka => "raw Akka",
        _ => impl.ToString(),
    };
}
