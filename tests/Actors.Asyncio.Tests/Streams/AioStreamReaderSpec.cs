using System.Text;
using Actors.Asyncio.Internal;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Streams;

// Ports of CPython's Lib/test/test_asyncio/test_streams.py StreamTests that drive a StreamReader by hand
// (feed_data / feed_eof / set_exception), on the virtual clock.
public class AioStreamReaderSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    private static readonly byte[] Data = B("line1\nline2\nline3\n");

    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);
    private static string S(byte[] b) => Encoding.ASCII.GetString(b);

    /// <summary>Feeds on the next loop iteration, as the CPython tests' call_soon(cb).</summary>
    private static void Soon(Action a) => Aio.GetRunningLoop().CallSoon(a);

    [Fact]   // test_feed_empty_data, test_feed_nonempty_data
    public async Task FeedData_EmptyAddsNothing_NonEmptyAppends()
    {
        var (empty, full) = await RunAsync(() =>
        {
            var r = new AioStreamReader();
            r.FeedData([]);
            int e = r.BufferSize;
            r.FeedData(Data);
            return Task.FromResult((e, S(r.BufferSnapshot())));
        });
        Assert.Equal(0, empty);
        Assert.Equal(S(Data), full);
    }

    [Fact]   // no asyncio counterpart: the TCP transport hands Akka.IO's per-read array over instead of copying it
    public async Task FeedOwned_WholeReadGetsTheArray_LaterFeedsNeverWriteIntoIt()
    {
        var (same, first, second, partialThenMore) = await RunAsync(async () =>
        {
            var r = new AioStreamReader();
            var owned = B("abcd");
            r.FeedOwned(owned);
            var got = await r.ReadAsync(100);
            r.FeedOwned(B("ef"));
            r.FeedData(B("gh"));             // appended after an owned array: copied, order kept
            var next = await r.ReadAsync(100);
            r.FeedOwned(B("12345"));
            var part = await r.ReadAsync(2);  // part of an owned array: copied out, the rest stays
            r.FeedData(B("6"));
            var rest = await r.ReadAsync(100);
            return (ReferenceEquals(got, owned), S(owned), S(next), S(part) + "|" + S(rest));
        });
        Assert.True(same);
        Assert.Equal("abcd", first);
        Assert.Equal("efgh", second);
        Assert.Equal("12|3456", partialThenMore);
    }

    [Fact]   // test_read_zero, test_read, test_read_line_breaks, test_read_limit
    public async Task ReadAsync_ReturnsWhatIsBufferedUpToN_NotBoundedByLimit()
    {
        var results = await RunAsync(async () =>
        {
            var r = new AioStreamReader();
            r.FeedData(Data);
            var zero = await r.ReadAsync(0);
            var zeroLeft = r.BufferSize;
            var r2 = new AioStreamReader();
            var pending = r2.ReadAsync(30);
            Soon(() => r2.FeedData(Data));
            var all = await pending;
            var r3 = new AioStreamReader();
            r3.FeedData(B("line1"));
            r3.FeedData(B("line2"));
            var five = await r3.ReadAsync(5);
            var r4 = new AioStreamReader(limit: 3);
            r4.FeedData(B("chunk"));
            var chunk = await r4.ReadAsync(5);
            return new[] { S(zero), zeroLeft.ToString(), S(all), S(five), S(r3.BufferSnapshot()), S(chunk) };
        });
        Assert.Equal(["", Data.Length.ToString(), S(Data), "line1", "line2", "chunk"], results);
    }

    [Fact]   // test_read_eof, test_read_until_eof
    public async Task ReadAsync_AtEof_ReturnsEmpty_AndMinusOneReadsToEof()
    {
        var (eof, all, after) = await RunAsync(async () =>
        {
            var r = new AioStreamReader();
            var t = r.ReadAsync(1024);
            Soon(r.FeedEof);
            var e = await t;
            var r2 = new AioStreamReader();
            var t2 = r2.ReadAsync(-1);
            Soon(() => { r2.FeedData(B("chunk1\n")); r2.FeedData(B("chunk2")); r2.FeedEof(); });
            var a = await t2;
            return (e, S(a), await r2.ReadAsync());
        });
        Assert.Empty(eof);
        Assert.Equal("chunk1\nchunk2", all);
        Assert.Empty(after);
    }

    [Fact]   // test_read_exception, test_readexactly_exception, test_readline_exception (SR9)
    public async Task SetException_LaterReadsThrowIt_EvenWithDataBuffered()
    {
        var (li, count) = await RunAsync(async () =>
        {
            var r = new AioStreamReader();
            r.FeedData(B("line\n"));
            var first = await r.ReadAsync(2);
            var boom = new InvalidDataException("boom");
            r.SetException(boom);
            int thrown = 0;
            foreach (var read in new Func<Task>[] { () => r.ReadAsync(2), () => r.ReadAsync(0), () => r.ReadExactlyAsync(2), () => r.ReadLineAsync(), () => r.ReadUntilAsync(B("\n")) })
            {
                var e = await Assert.ThrowsAsync<InvalidDataException>(read);
                Assert.Same(boom, e);
                thrown++;
            }
            Assert.Same(boom, r.Exception);
            return (S(first), thrown);
        });
        Assert.Equal("li", li);
        Assert.Equal(5, count);
    }

    [Fact]   // test_invalid_limit
    public void Constructor_LimitZeroOrLess_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AioStreamReader(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AioStreamReader(-1));
    }

    [Fact]   // test_readline, test_readline_nolimit_nowait, test_readline_read_byte_count
    public async Task ReadLineAsync_WaitsForNewline_AndLeavesTheRest()
    {
        var r = await RunAsync(async () =>
        {
            var s = new AioStreamReader();
            s.FeedData(B("chunk1 "));
            var t = s.ReadLineAsync();
            Soon(() => { s.FeedData(B("chunk2 ")); s.FeedData(B("chunk3 ")); s.FeedData(B("\n chunk4")); });
            var line = await t;
            var rest = S(s.BufferSnapshot());
            var s2 = new AioStreamReader();
            s2.FeedData(Data[..6]);
            s2.FeedData(Data[6..]);
            var l1 = await s2.ReadLineAsync();
            var seven = await s2.ReadAsync(7);
            return new[] { S(line), rest, S(l1), S(seven), S(s2.BufferSnapshot()) };
        });
        Assert.Equal(["chunk1 chunk2 chunk3 \n", " chunk4", "line1\n", "line2\nl", "ine3\n"], r);
    }

    [Fact]   // test_readline_eof, test_readline_empty_eof, test_at_eof (SR1, SR7)
    public async Task ReadLineAsync_AtEof_ReturnsPartialLineThenEmpty_AndAtEofFollows()
    {
        var r = await RunAsync(async () =>
        {
            var s = new AioStreamReader();
            bool e0 = s.AtEof;
            s.FeedData(B("some data\n"));
            bool e1 = s.AtEof;
            await s.ReadLineAsync();
            bool e2 = s.AtEof;
            s.FeedData(B("some data"));
            s.FeedEof();
            bool e3 = s.AtEof;
            var partial = await s.ReadLineAsync();
            bool e4 = s.AtEof;
            var empty = await s.ReadLineAsync();
            return $"{e0}{e1}{e2}{e3}{e4}|{S(partial)}|{S(empty)}";
        });
        Assert.Equal("FalseFalseFalseFalseTrue|some data|", r);
    }

    [Fact]   // test_readline_limit_with_existing_data, test_readline_limit (SR6)
    public async Task ReadLineAsync_PastLimit_ThrowsLimitOverrun_AndDropsTheLine()
    {
        var r = await RunAsync(async () =>
        {
            var left = new List<string>();
            var s = new AioStreamReader(limit: 3);
            s.FeedData(B("li"));
            s.FeedData(B("ne1\nline2\n"));
            await Assert.ThrowsAsync<LimitOverrunException>(() => s.ReadLineAsync());
            left.Add(S(s.BufferSnapshot()));

            s = new AioStreamReader(limit: 3);
            s.FeedData(B("li")); s.FeedData(B("ne1")); s.FeedData(B("li"));
            await Assert.ThrowsAsync<LimitOverrunException>(() => s.ReadLineAsync());
            left.Add(S(s.BufferSnapshot()));

            var s7 = new AioStreamReader(limit: 7);
            var t = s7.ReadLineAsync();
            Soon(() => { s7.FeedData(B("chunk1")); s7.FeedData(B("chunk2\n")); s7.FeedData(B("chunk3\n")); s7.FeedEof(); });
            await Assert.ThrowsAsync<LimitOverrunException>(() => t);
            left.Add(S(s7.BufferSnapshot()));

            var strict = new AioStreamReader(limit: 7);
            strict.FeedData(B("1234567\n"));
            left.Add(S(await strict.ReadLineAsync()));
            strict.FeedData(B("12345678\n"));
            await Assert.ThrowsAsync<LimitOverrunException>(() => strict.ReadLineAsync());
            left.Add(S(strict.BufferSnapshot()));
            strict.FeedData(B("12345678"));
            await Assert.ThrowsAsync<LimitOverrunException>(() => strict.ReadLineAsync());
            left.Add(S(strict.BufferSnapshot()));
            return left;
        });
        Assert.Equal(["line2\n", "", "chunk3\n", "1234567\n", "", ""], r);
    }

    [Fact]   // test_readuntil_separator, test_readuntil_multi_chunks, test_readuntil_multi_chunks_1
    public async Task ReadUntilAsync_FindsSeparatorAcrossChunks()
    {
        var r = await RunAsync(async () =>
        {
            var s = new AioStreamReader();
            Assert.Throws<ArgumentException>(() => { _ = s.ReadUntilAsync([]); });
            var got = new List<string>();
            s.FeedData(B("lineAAA"));
            got.Add(S(await s.ReadUntilAsync(B("AAA"))));
            s.FeedData(B("lineAAAxxx"));
            got.Add(S(await s.ReadUntilAsync(B("AAA"))) + "|" + S(s.BufferSnapshot()));
            await s.ReadAsync(3);
            s.FeedData(B("QWEaa")); s.FeedData(B("XYaa")); s.FeedData(B("a"));
            got.Add(S(await s.ReadUntilAsync(B("aaa"))));
            s.FeedData(B("QWEaa")); s.FeedData(B("XYa")); s.FeedData(B("aa"));
            got.Add(S(await s.ReadUntilAsync(B("aaa"))));
            var t = s.ReadUntilAsync(B("aaa"));
            Soon(() => s.FeedData(B("XXX")));
            Soon(() => s.FeedData(B("a")));
            Soon(() => s.FeedData(B("a")));
            Soon(() => s.FeedData(B("a")));
            got.Add(S(await t) + "|" + s.BufferSize);
            return got;
        });
        Assert.Equal(["lineAAA", "lineAAA|xxx", "QWEaaXYaaa", "QWEaaXYaaa", "XXXaaa|0"], r);
    }

    [Fact]   // test_readuntil_eof (SR4)
    public async Task ReadUntilAsync_EofBeforeSeparator_ThrowsIncompleteRead_WithWholeBuffer()
    {
        var (e, left) = await RunAsync(async () =>
        {
            var s = new AioStreamReader();
            s.FeedData(B("some dataAA"));
            s.FeedEof();
            var ex = await Assert.ThrowsAsync<IncompleteReadException>(() => s.ReadUntilAsync(B("AAA")));
            return (ex, s.BufferSize);
        });
        Assert.Equal("some dataAA", S(e.Partial));
        Assert.Null(e.Expected);
        Assert.Contains("undefined expected bytes", e.Message);
        Assert.IsAssignableFrom<EndOfStreamException>(e);
        Assert.Equal(0, left);
    }

    [Fact]   // test_readuntil_limit_found_sep (SR5): the data stays buffered
    public async Task ReadUntilAsync_PastLimit_ThrowsLimitOverrun_AndKeepsTheBuffer()
    {
        var r = await RunAsync(async () =>
        {
            var s = new AioStreamReader(limit: 3);
            s.FeedData(B("some dataAA"));
            var e1 = await Assert.ThrowsAsync<LimitOverrunException>(() => s.ReadUntilAsync(B("AAA")));
            var left1 = S(s.BufferSnapshot());
            s.FeedData(B("A"));
            var e2 = await Assert.ThrowsAsync<LimitOverrunException>(() => s.ReadUntilAsync(B("AAA")));
            return (e1, left1, e2, S(s.BufferSnapshot()));
        });
        Assert.Contains("not found", r.e1.Message);
        Assert.Equal(9, r.e1.Consumed);
        Assert.Equal("some dataAA", r.left1);
        Assert.Contains("is found", r.e2.Message);
        Assert.Equal(9, r.e2.Consumed);
        Assert.Equal("some dataAAA", r.Item4);
    }

    [Fact]   // test_readexactly_zero_or_less, test_readexactly, test_readexactly_limit
    public async Task ReadExactlyAsync_WaitsForExactlyN_NotBoundedByLimit()
    {
        var r = await RunAsync(async () =>
        {
            var s = new AioStreamReader();
            s.FeedData(Data);
            var zero = await s.ReadExactlyAsync(0);
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = s.ReadExactlyAsync(-1); });
            int kept = s.BufferSize;
            var s2 = new AioStreamReader();
            var t = s2.ReadExactlyAsync(2 * Data.Length);
            Soon(() => { s2.FeedData(Data); s2.FeedData(Data); s2.FeedData(Data); });
            var two = await t;
            var s3 = new AioStreamReader(limit: 3);
            s3.FeedData(B("chunk"));
            return (zero.Length, kept, S(two), S(s2.BufferSnapshot()), S(await s3.ReadExactlyAsync(5)));
        });
        Assert.Equal((0, Data.Length, S(Data) + S(Data), S(Data), "chunk"), r);
    }

    [Fact]   // test_readexactly_eof (SR3)
    public async Task ReadExactlyAsync_EarlyEof_ThrowsIncompleteRead_WithPartialAndExpected()
    {
        var (e, left) = await RunAsync(async () =>
        {
            var s = new AioStreamReader();
            var t = s.ReadExactlyAsync(2 * Data.Length);
            Soon(() => { s.FeedData(Data); s.FeedEof(); });
            var ex = await Assert.ThrowsAsync<IncompleteReadException>(() => t);
            return (ex, s.BufferSize);
        });
        Assert.Equal(S(Data), S(e.Partial));
        Assert.Equal(36, e.Expected);
        Assert.StartsWith("18 bytes read on a total of 36 expected bytes", e.Message);
        Assert.Equal(0, left);
    }

    [Fact]   // test_exception_waiter
    public async Task SetException_WakesAWaitingRead()
    {
        var e = await RunAsync(async () =>
        {
            var s = new AioStreamReader();
            var t = Aio.CreateTask(() => s.ReadLineAsync());
            await Aio.Sleep(0);
            s.SetException(new InvalidDataException("x"));
            return await Assert.ThrowsAsync<InvalidDataException>(async () => await t);
        });
        Assert.Equal("x", e.Message);
    }

    [Fact]   // test_exception_cancel: a cancelled read leaves no waiter behind, nothing is consumed
    public async Task CancelledRead_LeavesNoWaiter_AndLosesNoData()
    {
        var (next, waiting) = await RunAsync(async () =>
        {
            var s = new AioStreamReader();
            var t = Aio.CreateTask(() => s.ReadLineAsync());
            await Aio.Sleep(0);
            t.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await t);
            s.SetException(new InvalidOperationException("message"));
            bool w = s.ToString().Contains("waiting");
            var s2 = new AioStreamReader();
            var t2 = Aio.CreateTask(() => s2.ReadExactlyAsync(4));
            await Aio.Sleep(0);
            s2.FeedData(B("ab"));
            t2.Cancel();
            await Assert.ThrowsAsync<CancelledException>(async () => await t2);
            s2.FeedData(B("cd"));
            return (S(await s2.ReadExactlyAsync(4)), w);
        });
        Assert.Equal("abcd", next);
        Assert.False(waiting);
    }

    [Fact]   // asyncio SR8: RuntimeError('read() called while another coroutine is already waiting for incoming data')
    public async Task SecondRead_WhileOneWaits_ThrowsInvalidOperation()
    {
        var e = await RunAsync(async () =>
        {
            var s = new AioStreamReader();
            var first = Aio.CreateTask(() => s.ReadAsync(10));
            await Aio.Sleep(0);
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => s.ReadLineAsync());
            s.FeedData(B("x"));
            Assert.Equal("x", S(await first));
            return ex;
        });
        Assert.Contains("already waiting for incoming data", e.Message);
    }

    [Fact]
    public async Task CancellationToken_CancelsAWaitingRead_AndTheNextReadWorks()
    {
        var r = await RunAsync(async () =>
        {
            var s = new AioStreamReader();
            using var cts = new CancellationTokenSource();
            var t = s.ReadAsync(10, cts.Token);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => t);
            s.FeedData(B("ok"));
            return S(await s.ReadAsync(10));
        });
        Assert.Equal("ok", r);
    }

    [Fact]   // test_pep492 StreamReaderTests.test_readline: async for line in reader
    public async Task ReadLinesAsync_YieldsLinesUntilEof()
    {
        var lines = await RunAsync(async () =>
        {
            var s = new AioStreamReader();
            s.FeedData(B("line1\nline2\nline3"));
            s.FeedEof();
            var all = new List<string>();
            await foreach (var l in s.ReadLinesAsync()) all.Add(S(l));
            return all;
        });
        Assert.Equal(["line1\n", "line2\n", "line3"], lines);
    }

    [Fact]   // asyncio SR10 (flow control): pause above 2 x limit, resume at limit or below
    public async Task FeedData_OverTwiceTheLimit_PausesTheTransport_UntilReadDownToTheLimit()
    {
        var log = await RunAsync(async () =>
        {
            var transport = new FakeReadTransport();
            var s = new AioStreamReader(Aio.GetRunningLoop(), 10);
            s.SetTransport(transport);
            s.FeedData(new byte[20]);
            transport.Log.Add("20:" + s.IsPaused);
            s.FeedData(new byte[1]);
            transport.Log.Add("21:" + s.IsPaused);
            await s.ReadAsync(5);
            transport.Log.Add("16:" + s.IsPaused);
            await s.ReadAsync(6);
            transport.Log.Add("10:" + s.IsPaused);
            return transport.Log;
        });
        Assert.Equal(["20:False", "pause", "21:True", "16:True", "resume", "10:False"], log);
    }

    private sealed class FakeReadTransport : IAioReadTransport
    {
        public List<string> Log { get; } = new();
        public void PauseReading() => Log.Add("pause");
        public void ResumeReading() => Log.Add("resume");
    }
}
