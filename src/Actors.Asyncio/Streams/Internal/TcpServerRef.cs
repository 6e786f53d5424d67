using Akka.Actor;
using Akka.Dispatch.SysMsg;
using Akka.IO;

namespace Actors.Asyncio.Internal;

/// <summary>The bind commander and connection handler of an <see cref="AioServer"/>: a minimal actor ref hosted by the
/// loop. Akka.IO's listeners tell it <c>Bound</c>/<c>Unbound</c>, and every accepted connection actor tells it
/// <c>Connected</c>; each message runs on the loop thread, where the server's state lives.</summary>
internal sealed class TcpServerRef : MinimalActorRef, ILoopWork
{
    private static long s_ids;

    private readonly AioEventLoop _loop;
    private readonly AioServer _server;

    public TcpServerRef(AioEventLoop loop, AioServer server)
    {
        _loop = loop;
        _server = server;
        Path = loop.ActorRef.Path / ("tcp-server-" + Interlocked.Increment(ref s_ids));
        Provider = loop.Provider;
    }

    public override ActorPath Path { get; }

    public override IActorRefProvider Provider { get; }

    protected override void TellInternal(object message, IActorRef sender) =>
        _loop.PostOrDrop(new ReadyItem(this, message, sender), message, sender, this);

    public override void SendSystemMessage(ISystemMessage message)
    {
        // The listener watches its bind commander to unbind when it dies; the server unbinds itself on Close.
    }

    void ILoopWork.Execute(object? a, object? b) => _server.OnMessage(a!, (IActorRef)b!);

    public override string ToString() => $"[{Path}] {_server}";
}
