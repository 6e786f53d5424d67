using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Actors.Asyncio.Internal;
using Akka.Configuration;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Streams;

// The server's own listener (actors.asyncio.streams.tcp.accepted-connections-on-loop, on by default): accepted
// connections get Akka.IO's connection actor on the loop's dispatcher. Real sockets, real time, under the 30 s guard.
[Collection(SocketsCollection.Name)]
public class LoopTcpListenerSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: false)
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static async Task EchoLine(AioStreamReader r, AioStreamWriter w)
    {
        w.Write(await r.ReadLineAsync());
        await w.DrainAsync();
        await r.ReadAsync();   // until the client closes
        w.Close();
    }

    private static async Task EchoLines(AioStreamReader r, AioStreamWriter w)
    {
        while (await r.ReadLineAsync() is { Length: > 0 } line)
        {
            w.Write(line);
            await w.DrainAsync();
        }
        w.Close();
    }

    [Fact]
    public async Task AcceptedConnection_ActorLivesUnderTheLoopsParent_OnTheLoopsDispatcher()
    {
        var (dispatcher, echoed) = await RunAsync(async () =>
        {
            await using var server = await Aio.StartServer(EchoLine, "127.0.0.1", 0);
            var (r, w) = await Aio.OpenConnection("127.0.0.1", server.Endpoints[0].Port);
            w.Write(B("ping\n"));
            var line = Encoding.UTF8.GetString(await r.ReadLineAsync());
            var parent = LoopTcpConnections.Existing(Loop)!;
            var children = await Sys.ActorSelection(parent.Path / "*").Ask<ActorIdentity>(new Identify(1), TimeSpan.FromSeconds(5));
            var child = (ActorRefWithCell)children.Subject!;
            w.Close();
            await w.WaitClosedAsync();
            return (child.Underlying.Props.Dispatcher, line);
        });
        Assert.Equal("ping\n", echoed);
        Assert.Equal(Loop.DispatcherId, dispatcher);
    }

    [Fact]   // asyncio SV4: after close() the listening socket is gone, so a newcomer is refused even while
             // connections accepted before are still being served
    public async Task Close_WithALiveConnection_RefusesANewcomer_AndKeepsServingTheOldOne()
    {
        var (refused, echoed) = await RunAsync(async () =>
        {
            var server = await Aio.StartServer(EchoLines, "127.0.0.1", 0);
            int port = server.Endpoints[0].Port;
            var (r, w) = await Aio.OpenConnection("127.0.0.1", port);
            // Served before the close (a connection still in the backlog at close() is reset, in asyncio too).
            w.Write(B("first\n"));
            await r.ReadLineAsync();
            server.Close();
            var error = await Assert.ThrowsAsync<SocketException>(() => Aio.OpenConnection("127.0.0.1", port));
            w.Write(B("still here\n"));
            var line = Encoding.UTF8.GetString(await r.ReadLineAsync());
            w.Close();
            await server.WaitClosedAsync();
            return (error.SocketErrorCode, line);
        });
        Assert.Equal(SocketError.ConnectionRefused, refused);
        Assert.Equal("still here\n", echoed);
    }

    [Fact]   // asyncio: start_server on a busy port raises OSError(EADDRINUSE)
    public async Task StartServer_PortInUse_ThrowsSocketExceptionAddressAlreadyInUse()
    {
        var code = await RunAsync(async () =>
        {
            await using var first = await Aio.StartServer(EchoLine, "127.0.0.1", 0);
            var e = await Assert.ThrowsAsync<SocketException>(() => Aio.StartServer(EchoLine, "127.0.0.1", first.Endpoints[0].Port));
            return e.SocketErrorCode;
        });
        Assert.Equal(SocketError.AddressAlreadyInUse, code);
    }

    [Fact]   // the connection actors stop with their loop (they could not run once its thread is gone)
    public async Task LoopClose_StopsTheConnectionActorsOfLiveConnections()
    {
        var loop = AioEventLoop.Create(Sys, "closing");
        var parent = await loop.RunAsync(async () =>
        {
            var server = await Aio.StartServer(EchoLine, "127.0.0.1", 0);
            var (r, w) = await Aio.OpenConnection("127.0.0.1", server.Endpoints[0].Port);
            w.Write(B("x\n"));
            await r.ReadLineAsync();
            return LoopTcpConnections.Existing(loop)!;
        });
        Watch(parent);
        await loop.DisposeAsync();
        // Closing stops every actor on the loop's dispatcher and waits for them (LoopActorDispatcher). A plain
        // ActorSystem.Stop at close went through the system guardian and could reach the loop after its thread had
        // exited (the Showcase then waited out CoordinatedShutdown's 10 s about one run in three); this only catches
        // that race when it happens, it cannot force it.
#pragma warning disable CS0618   // IsTerminated: a synchronous look at the state, which a watch cannot give
        Assert.True(((IInternalActorRef)parent).IsTerminated, "the connection actors' parent outlived its loop");
#pragma warning restore CS0618
        ExpectTerminated(parent, TimeSpan.FromSeconds(10));
    }

    [Fact]   // closing the loop waits for its connection actors: the system then terminates at once instead of
             // waiting out CoordinatedShutdown's 10 s for actors whose dispatcher thread is gone
    public async Task LoopClose_ThenSystemTerminate_DoesNotWaitForOrphanedConnectionActors()
    {
        var system = ActorSystem.Create("terminating", AioConfig.Default);
        var loop = AioEventLoop.Create(system, "main");
        await loop.RunAsync(async () =>
        {
            var server = await Aio.StartServer(EchoLines, "127.0.0.1", 0);
            var (r, w) = await Aio.OpenConnection("127.0.0.1", server.Endpoints[0].Port);
            w.Write(B("x\n"));
            await r.ReadLineAsync();
            w.Close();
            await w.WaitClosedAsync();
            server.Close();
            await server.WaitClosedAsync();
        });
        await loop.DisposeAsync();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"the actor system took {sw.Elapsed.TotalSeconds:0.0} s to terminate");
    }

    [Fact]   // each loop's parent has a name of its own: a loop of the same name may follow a closed one at once
    public async Task LoopOfTheSameName_RightAfterAClosedOne_ServesToo()
    {
        var echoed = new List<string>();
        for (int i = 0; i < 2; i++)
        {
            var loop = AioEventLoop.Create(Sys, "again");
            echoed.Add(await loop.RunAsync(async () =>
            {
                await using var server = await Aio.StartServer(EchoLine, "127.0.0.1", 0);
                var (r, w) = await Aio.OpenConnection("127.0.0.1", server.Endpoints[0].Port);
                w.Write(B($"round {i}\n"));
                var line = Encoding.UTF8.GetString(await r.ReadLineAsync());
                w.Close();
                await w.WaitClosedAsync();
                return line;
            }));
            await loop.DisposeAsync();
        }
        Assert.Equal(["round 0\n", "round 1\n"], echoed);
    }
}

// The same server behaviour through Akka.IO's own listener (accepted-connections-on-loop = off).
[Collection(SocketsCollection.Name)]
public class AkkaListenerServerSpec(ITestOutputHelper output)
    : AioTestKit(output, virtualTime: false, ConfigurationFactory.ParseString("actors.asyncio.streams.tcp.accepted-connections-on-loop = off"))
{
    [Fact]
    public async Task Echo_ThroughAkkaIoListener_RoundTrips_AndNoLoopParentIsMade()
    {
        var line = await RunAsync(async () =>
        {
            await using var server = await Aio.StartServer(async (r, w) =>
            {
                w.Write(await r.ReadLineAsync());
                await w.DrainAsync();
                w.Close();
            }, "127.0.0.1", 0);
            var (reader, writer) = await Aio.OpenConnection("127.0.0.1", server.Endpoints[0].Port);
            writer.Write(Encoding.UTF8.GetBytes("via akka\n"));
            var echoed = Encoding.UTF8.GetString(await reader.ReadLineAsync());
            writer.Close();
            return echoed;
        });
        Assert.Equal("via akka\n", line);
        Assert.Null(LoopTcpConnections.Existing(Loop));
    }
}
