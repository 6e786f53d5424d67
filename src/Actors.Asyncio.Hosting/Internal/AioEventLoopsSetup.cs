using Akka.Actor.Setup;

namespace Actors.Asyncio.Internal;

/// <summary>The loops an <c>AkkaConfigurationBuilder</c> declared, carried into the ActorSystem as a <see cref="Setup"/>:
/// the builder's callbacks run before the system exists and cannot touch the service collection, so this is how the
/// declarations reach <see cref="AioEventLoopRegistry"/>.</summary>
internal sealed class AioEventLoopsSetup : Setup
{
    private readonly List<LoopDeclaration> _loops = new();

    public IReadOnlyList<LoopDeclaration> Loops => _loops;

    public void Declare(LoopDeclaration declaration)
    {
        if (_loops.Any(l => l.Name == declaration.Name))
            throw new ArgumentException($"Cannot declare the event loop '{declaration.Name}' twice: WithAioEventLoop was already called with that name; give each loop its own name.", nameof(declaration));
        _loops.Add(declaration);
    }
}

/// <summary>One <c>WithAioEventLoop</c> call: the loop's name, its options and the ActorRegistry key of its actor.</summary>
internal sealed record LoopDeclaration(string Name, AioEventLoopOptions Options, Type? RegistryKey);
