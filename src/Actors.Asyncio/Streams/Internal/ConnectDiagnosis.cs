using System.Net;
using System.Net.Sockets;

namespace Actors.Asyncio.Internal;

/// <summary>Finds the socket error of a connect that Akka.IO reported only as "finishConnect never returned true".</summary>
/// <remarks>Akka.IO 1.5 drops <c>SocketAsyncEventArgs.SocketError</c> when a connect fails, so a refused connection
/// and an unreachable host look alike. asyncio users expect ConnectionRefusedError, i.e. a
/// <see cref="SocketException"/> with <see cref="SocketError.ConnectionRefused"/>: one plain connect attempt to the
/// same endpoint tells which error it was. Only failed connects pay for it.</remarks>
internal static class ConnectDiagnosis
{
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(5);

    public static async Task<Exception> DiagnoseAsync(IPEndPoint endpoint, Exception akkaError)
    {
        using var probe = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(s_probeTimeout);
        try
        {
            await probe.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return new SocketException((int)e.SocketErrorCode, $"Connect call failed to {endpoint}: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            return new SocketException((int)SocketError.TimedOut, $"Connect call failed to {endpoint}: the connection attempt timed out.");
        }
        // The endpoint accepted this time (it came up meanwhile): report the original failure.
        return new IOException($"Connect call failed to {endpoint}: {akkaError.Message}", akkaError);
    }
}
