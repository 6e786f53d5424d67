using System.Net.Sockets;
using System.Text;

namespace Actors.Asyncio.Examples;

/// <summary>The guide's §4.4 (streams): an echo server (<c>asyncio.start_server</c>) and its client
/// (<c>asyncio.open_connection</c>) in one program: the server listens on a free port of 127.0.0.1 and the client sends
/// the guide's two messages, one connection each.</summary>
public static class EchoServerExample
{
    /// <summary>asyncio's <c>handle_echo_client(reader, writer)</c>: echoes what it reads until the client closes.
    /// Each connection runs it as its own task on the server's loop.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="reader">The connection's incoming side.</param>
    /// <param name="writer">The connection's outgoing side.</param>
    public static async Task HandleEchoClient(TextWriter output, AioStreamReader reader, AioStreamWriter writer)
    {
        var addr = writer.GetExtraInfo("peername");
        output.WriteLine($"server: connection from {addr}");
        while (true)
        {
            byte[] data = await reader.ReadAsync(100);   // up to 100 bytes; empty at EOF
            if (data.Length == 0)
                break;
            output.WriteLine($"server: received '{Encoding.UTF8.GetString(data)}' from {addr}");
            writer.Write(data);
            await writer.DrainAsync();                   // waits while the write buffer is over its high-water mark
        }
        output.WriteLine($"server: closing the connection from {addr}");
        writer.Close();
        await writer.WaitClosedAsync();
    }

    /// <summary>asyncio's <c>tcp_echo_client(message)</c>.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="port">The server's port on 127.0.0.1.</param>
    /// <param name="message">What to send.</param>
    /// <returns>The bytes the server sent back, or null when the connection was refused.</returns>
    public static async Task<byte[]?> TcpEchoClient(TextWriter output, int port, string message)
    {
        try
        {
            var (reader, writer) = await Aio.OpenConnection("127.0.0.1", port);
            output.WriteLine($"client: sending '{message}'");
            writer.Write(Encoding.UTF8.GetBytes(message));
            await writer.DrainAsync();

            byte[] data = await reader.ReadAsync(100);
            output.WriteLine($"client: received '{Encoding.UTF8.GetString(data)}'");

            output.WriteLine("client: closing the connection");
            writer.Close();
            await writer.WaitClosedAsync();
            return data;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            output.WriteLine("client: connection refused. Make sure the server is running.");
            return null;
        }
    }

    /// <summary>The guide's <c>main_server()</c> and its two client runs, on one loop: the server serves forever in a
    /// task, the clients run one after the other, then the server task is cancelled, which closes the server.</summary>
    /// <param name="output">Where the example prints.</param>
    /// <returns>The replies to the two messages, as text.</returns>
    public static async Task<IReadOnlyList<string>> RunAsync(TextWriter output)
    {
        var server = await Aio.StartServer((r, w) => HandleEchoClient(output, r, w), "127.0.0.1", 0);
        int port = server.Endpoints[0].Port;               // port 0 above: the system picked a free one
        output.WriteLine($"server: serving on {server.Endpoints[0]}");

        // async with server: await server.serve_forever() -- run as a task so this one can play the client.
        AioTask serving = Aio.CreateTask(async () =>
        {
            await using (server)
                await server.ServeForeverAsync();
        });

        var replies = new List<string>();
        foreach (var message in new[] { "Hello, asyncio server!", "This is the second message." })
        {
            byte[]? reply = await TcpEchoClient(output, port, message);
            replies.Add(reply is null ? "" : Encoding.UTF8.GetString(reply));
        }

        serving.Cancel();                                  // serve_forever ends by cancellation, as in asyncio
        try { await serving; }
        catch (CancelledException) { output.WriteLine("server: closed"); }
        return replies;
    }
}
