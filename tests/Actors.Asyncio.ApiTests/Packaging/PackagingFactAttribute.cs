using Xunit;

namespace Actors.Asyncio.ApiTests.Packaging;

/// <summary>A fact that needs the .NET SDK and a NuGet source for Akka's packages (the machine's usual one, or its
/// global packages folder). Set <c>AIO_SKIP_PACKAGING=1</c> to skip it, e.g. offline with an empty package cache.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PackagingFactAttribute : FactAttribute
{
    public PackagingFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("AIO_SKIP_PACKAGING") is "1" or "true")
            Skip = "AIO_SKIP_PACKAGING is set: packing and installing the packages is skipped.";
    }
}
