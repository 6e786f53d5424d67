using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Actors.Asyncio.Bench.Baselines;
using Actors.Asyncio.Bench.Scenarios;

namespace Actors.Asyncio.Bench.Harness;

/// <summary>The one load generator of issue 6's TCP method: plain .NET sockets that hit each implementation's echo and
/// sink servers in turn (CPython's, ours, raw Akka.IO's, plain sockets'), so the figures compare servers, not
/// client+server pairs. It runs as its own process (<c>dotnet exec Actors.Asyncio.Bench.dll --tcp-loadgen …</c>) so
/// it never shares a thread pool, a GC or a process with the server it measures; the CPython script starts the same
/// command (passed in <see cref="EnvironmentVariable"/>) against its asyncio servers.</summary>
/// <remarks>The request/response phases keep one 64-byte request in flight per connection; the single connection and
/// the stream use blocking calls on one dedicated thread, the fastest client .NET has, so the server is what limits
/// the rate. A warm-up (100 round trips on each of the connections, 2,000 on one, a 32 MiB stream) runs first
/// against every server alike, so our JIT and CPython's caches are warm before the clock starts.</remarks>
public static class TcpLoadGenerator
{
    /// <summary>The command-line flag that turns the benchmark executable into the load generator.</summary>
    public const string Flag = "--tcp-loadgen";

    /// <summary>Holds the generator's command (a JSON array of argv) for bench/python/tcp_echo.py.</summary>
    public const string EnvironmentVariable = "AIO_BENCH_TCP_LOADGEN";

    /// <summary>The argv that starts the generator as a process, or null when this assembly cannot be started on its
    /// own (then the generator runs in-process).</summary>
    public static string[]? Command()
    {
        var dll = typeof(TcpLoadGenerator).Assembly.Location;
        if (string.IsNullOrEmpty(dll) || !File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json"))) return null;
        // The dotnet CLI tells its children where the host is (dotnet test / dotnet run); a published app has no host.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host) || !File.Exists(host))
            host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        return [host, "exec", dll, Flag];
    }

    /// <summary>Measures the echo server on <paramref name="echoPort"/> and the sink on <paramref name="sinkPort"/>
    /// with <see cref="TcpEcho"/>'s sizes: req_per_s_50c, req_per_s_1c and stream_mb_per_s.</summary>
    public static async Task<Sample> RunAsync(BenchContext ctx, int echoPort, int sinkPort)
    {
        var (conns, perConn, one, stream) = TcpEcho.Size(ctx);
        string[] sizes = [.. new long[] { echoPort, sinkPort, conns, perConn, one, stream }.Select(v => v.ToString(CultureInfo.InvariantCulture))];
        var command = Command();
        if (command == null) return await Task.Factory.StartNew(() => Measure(sizes), TaskCreationOptions.LongRunning);

        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command.Skip(1).Concat(sizes)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start the load generator ({command[0]}).");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try { await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3)); }
        catch (TimeoutException)
        {
            // Only the process we started.
            p.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The TCP load generator did not finish within 3 minutes and was killed.");
        }
        if (p.ExitCode != 0) throw new InvalidOperationException($"The TCP load generator exited with {p.ExitCode}: {(await stderr).Trim()}");
        return Parse(await stdout);
    }

    /// <summary>Reads the JSON line the generator prints last.</summary>
    public static Sample Parse(string stdout)
    {
        var json = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'))
                   ?? throw new InvalidOperationException("The TCP load generator printed no JSON line.");
        var sample = new Sample();
        using var doc = JsonDocument.Parse(json);
        foreach (var prop in doc.RootElement.EnumerateObject()) sample[prop.Name] = prop.Value.GetDouble();
        return sample;
    }

    /// <summary>The generator's process entry: <c>--tcp-loadgen echoPort sinkPort conns perConn one streamBytes</c>;
    /// prints one JSON line.</summary>
    public static int Run(string[] args)
    {
        if (args.Length != 6)
        {
            Console.Error.WriteLine($"usage: {Flag} echoPort sinkPort conns perConn one streamBytes");
            return 2;
        }
        var s = Measure(args);
        Console.WriteLine(JsonSerializer.Serialize(s.ToDictionary(kv => kv.Key, kv => kv.Value)));
        return 0;
    }

    private static Sample Measure(string[] a)
    {
        int echoPort = int.Parse(a[0], CultureInfo.InvariantCulture), sinkPort = int.Parse(a[1], CultureInfo.InvariantCulture);
        int conns = int.Parse(a[2], CultureInfo.InvariantCulture), perConn = int.Parse(a[3], CultureInfo.InvariantCulture);
        int one = int.Parse(a[4], CultureInfo.InvariantCulture);
        long stream = long.Parse(a[5], CultureInfo.InvariantCulture);
        bool quick = stream < 64L * 1024 * 1024;

        // warm-up: both servers see the same kind of traffic before the clock starts
        ReqRateAsync(echoPort, conns, quick ? 20 : 100).GetAwaiter().GetResult();
        OneConnection(echoPort, quick ? 50 : 2000);
        Stream(sinkPort, quick ? 1L << 20 : 32L << 20);

        return new Sample
        {
            ["req_per_s_50c"] = ReqRateAsync(echoPort, conns, perConn).GetAwaiter().GetResult(),
            ["req_per_s_1c"] = OneConnection(echoPort, one),
            ["stream_mb_per_s"] = Stream(sinkPort, stream),
        };
    }

    private static Socket Connect(int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        s.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return s;
    }

    private static async Task<double> ReqRateAsync(int port, int conns, int per)
    {
        var sw = Stopwatch.StartNew();
        var clients = new Task[conns];
        for (int c = 0; c < conns; c++) clients[c] = Task.Run(() => ClientAsync(port, per));
        await Task.WhenAll(clients);
        return conns * (double)per / sw.Elapsed.TotalSeconds;
    }

    private static async Task ClientAsync(int port, int n)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        var reply = new byte[TcpEcho.MessageSize];
        for (int i = 0; i < n; i++)
        {
            await SocketEcho.SendAll(s, TcpEcho.Request);
            await SocketEcho.ReceiveExactly(s, reply);
        }
        s.Shutdown(SocketShutdown.Both);
    }

    private static double OneConnection(int port, int n)
    {
        using var s = Connect(port);
        var reply = new byte[TcpEcho.MessageSize];
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < n; i++)
        {
            s.Send(TcpEcho.Request);
            ReceiveExactly(s, reply);
        }
        double rate = n / sw.Elapsed.TotalSeconds;
        s.Shutdown(SocketShutdown.Both);
        return rate;
    }

    private static double Stream(int port, long total)
    {
        using var s = Connect(port);
        var chunk = new byte[TcpEcho.Chunk];
        var sw = Stopwatch.StartNew();
        for (long sent = 0; sent < total; sent += chunk.Length) s.Send(chunk);   // blocking Send sends it all
        s.Shutdown(SocketShutdown.Send);
        var reply = new byte[8];
        ReceiveExactly(s, reply);
        double seconds = sw.Elapsed.TotalSeconds;
        long got = BinaryPrimitives.ReadInt64BigEndian(reply);
        if (got != total) throw new InvalidOperationException($"The sink counted {got} bytes; {total} were sent.");
        return total / seconds / 1e6;
    }

    private static void ReceiveExactly(Socket s, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int n = s.Receive(buffer);
            if (n == 0) throw new EndOfStreamException($"The server closed with {buffer.Length} bytes still expected.");
            buffer = buffer[n..];
        }
    }
}
