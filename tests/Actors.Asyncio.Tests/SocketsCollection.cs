using Xunit;

namespace Actors.Asyncio.Tests;

/// <summary>Tests that bind or connect to loopback ports run one class at a time: a port released by one test (port 0)
/// could otherwise be handed to another test's server at once, and a "connection refused" check would then connect.</summary>
[CollectionDefinition(Name)]
public sealed class SocketsCollection
{
    public const string Name = "sockets";
}
