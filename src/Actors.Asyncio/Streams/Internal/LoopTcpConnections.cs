using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.IO;

namespace Actors.Asyncio.Internal;

/// <summary>The parent of the Akka.IO connection actors a loop hosts (see <see cref="LoopTcpListener"/>): one per
/// loop, on the loop's dispatcher, created on first use and stopped when the loop closes (as every actor on a loop's
/// dispatcher: LoopActorDispatcher).</summary>
/// <remarks>
/// <para>A parent of its own, rather than the system guardian, for two reasons. Its stopping strategy ends a failed
/// connection actor as Akka.IO's listener does (a connection actor cannot restart: its socket is gone). And the
/// connection actors' names and supervision stay together under one path per loop.</para>
/// <para>The connection actor is Akka.IO's own internal <c>TcpIncomingConnection</c>, made by reflection; when an
/// Akka.NET version lacks it, <see cref="IsSupported"/> is false and servers use Akka.IO's listener.</para>
/// </remarks>
internal sealed class LoopTcpConnections : UntypedActor
{
    private static readonly Type? s_incomingType = typeof(Tcp).Assembly.GetType("Akka.IO.TcpIncomingConnection");
    private static readonly ConditionalWeakTable<AioEventLoop, IActorRef> s_parents = new();
    private static long s_names;

    /// <summary>Whether this Akka.NET build has the connection actor type.</summary>
    public static bool IsSupported =>
        s_incomingType?.GetConstructor([typeof(TcpSettings), typeof(Socket), typeof(IActorRef), typeof(IEnumerable<Inet.SocketOption>), typeof(bool)]) != null;

    /// <summary>An accepted socket to give a connection actor (pull mode, as Akka.IO's listener for our Bind).
    /// Local only: a socket cannot travel.</summary>
    public sealed record Adopt(Socket Socket, IActorRef Handler, TcpSettings Settings);

    private readonly string _dispatcherId;

    public LoopTcpConnections(string dispatcherId) => _dispatcherId = dispatcherId;

    /// <summary>The loop's parent, created on first use (any thread); the loop stops it when it closes, as every actor
    /// on its dispatcher.</summary>
    public static IActorRef For(AioEventLoop loop)
    {
        lock (s_parents)
        {
            if (s_parents.TryGetValue(loop, out var parent)) return parent;
            var system = (ExtendedActorSystem)loop.System;
            // Numbered: a loop of the same name may be created while a closed loop's parent is still stopping.
            parent = system.SystemActorOf(
                Props.Create(() => new LoopTcpConnections(loop.DispatcherId)).WithDispatcher(loop.DispatcherId),
                $"aio-tcp-{loop.ActorRef.Path.Name}-{Interlocked.Increment(ref s_names)}");
            s_parents.Add(loop, parent);
            return parent;
        }
    }

    /// <summary>The loop's parent if one was made (tests, diagnostics).</summary>
    public static IActorRef? Existing(AioEventLoop loop)
    {
        lock (s_parents) return s_parents.TryGetValue(loop, out var parent) ? parent : null;
    }

    protected override void OnReceive(object message)
    {
        if (message is not Adopt a)
        {
            Unhandled(message);
            return;
        }
        try
        {
            Context.ActorOf(Props.Create(s_incomingType!, a.Settings, a.Socket, a.Handler, Array.Empty<Inet.SocketOption>(), true)
                .WithDeploy(Deploy.Local).WithDispatcher(_dispatcherId));   // WithDeploy replaces the dispatcher: last
        }
        catch
        {
            a.Socket.Dispose();
            throw;
        }
    }

    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;
}
