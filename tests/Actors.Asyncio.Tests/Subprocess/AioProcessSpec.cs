using System.Text;
using Xunit;
using Xunit.Abstractions;
using static Actors.Asyncio.Tests.Subprocess.ChildPrograms;

namespace Actors.Asyncio.Tests.Subprocess;

// Ports of CPython Lib/test/test_asyncio/test_subprocess.py (SubprocessMixin) and asyncio-semantics.md §24 (P1-P10).
public class AioProcessSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string S(byte[]? b) => b == null ? "<null>" : Encoding.UTF8.GetString(b);

    [Fact]
    public async Task Communicate_UpperCasesInput_ReturnsStdoutAndNullStderrWhereNotPiped()   // P3, test_communicate
    {
        var (o, e, rc) = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec(Python, ["-c", "import sys; print(sys.stdin.read().upper())"],
                stdin: Redirect.Pipe, stdout: Redirect.Pipe);
            var (stdout, stderr) = await p.CommunicateAsync(B("hi"));
            return (stdout, stderr, p.ReturnCode);
        });
        Assert.Equal("HI\n", S(o));
        Assert.Null(e);
        Assert.Equal(0, rc);
    }

    [Fact]
    public async Task StdinStdout_WriteDrainCloseRead_EchoesData()   // P1, test_stdin_stdout
    {
        var (read, code, pid) = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec(Python, ["-c", "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read())"],
                stdin: Redirect.Pipe, stdout: Redirect.Pipe);
            Assert.Null(p.ReturnCode);
            Assert.Null(p.Stderr);
            p.Stdin!.Write(B("Python The Winner"));
            await p.Stdin.DrainAsync();
            p.Stdin.Close();
            var data = await p.Stdout!.ReadAsync(-1);
            int rc = await p.WaitAsync();
            return (data, rc, p.Pid);
        });
        Assert.Equal("Python The Winner", S(read));
        Assert.Equal(0, code);
        Assert.True(pid > 0);
    }

    [Fact]
    public async Task Communicate_WithoutInput_StillClosesStdin()   // P3 (3.12+), test_communicate_none_input
    {
        var o = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("cat", stdin: Redirect.Pipe, stdout: Redirect.Pipe);
            var (stdout, _) = await p.CommunicateAsync();
            return stdout;
        });
        Assert.Empty(o!);
    }

    [Fact]
    public async Task Communicate_EmptyInput_Works()   // test_empty_input
    {
        var o = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("cat", stdin: Redirect.Pipe, stdout: Redirect.Pipe);
            return (await p.CommunicateAsync([])).Stdout;
        });
        Assert.Empty(o!);
    }

    [Fact]
    public async Task Shell_ExitCode_IsReturned()   // P2, test_shell
    {
        int rc = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessShell("exit 7");
            return await p.WaitAsync();
        });
        Assert.Equal(7, rc);
    }

    [Fact]
    public async Task Shell_Pipeline_RunsThroughBinSh()   // P2
    {
        var o = await RunAsync(async () =>
        {
            var sh = await Aio.CreateSubprocessShell("echo hello | tr a-z A-Z", stdout: Redirect.Pipe);
            return (await sh.CommunicateAsync()).Stdout;
        });
        Assert.Equal("HELLO\n", S(o));
    }

    [Fact]
    public async Task Kill_RunningChild_ReturnCodeIsMinus9()   // P6, test_kill
    {
        var (rc, seen) = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("sleep", ["30"]);
            p.Kill();
            return (await p.WaitAsync(), p.ReturnCode);
        });
        Assert.Equal(-9, rc);
        Assert.Equal(-9, seen);
    }

    [Fact]
    public async Task Terminate_RunningChild_ReturnCodeIsMinus15()   // P6, test_terminate
    {
        int rc = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("sleep", ["30"]);
            p.Terminate();
            return await p.WaitAsync();
        });
        Assert.Equal(-15, rc);
    }

    [Fact]
    public async Task SendSignal_Hup_ReturnCodeIsMinusSignal()   // P6, test_send_signal
    {
        int rc = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("sleep", ["30"]);
            p.SendSignal(1);
            return await p.WaitAsync();
        });
        Assert.Equal(-1, rc);
    }

    [Fact]
    public async Task ExitCode137_IsNotMistakenForSigkill()   // P6: the real wait status, not the shell's 128+N
    {
        var (exited, killed) = await RunAsync(async () =>
        {
            var a = await Aio.CreateSubprocessShell("exit 137");
            var b = await Aio.CreateSubprocessShell("kill -9 $$");
            return (await a.WaitAsync(), await b.WaitAsync());
        });
        Assert.Equal(137, exited);
        Assert.Equal(-9, killed);
    }

    [Fact]
    public async Task Signal_AfterExit_ThrowsInvalidOperation()   // P7
    {
        var (e1, e2, e3) = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("true");
            await p.WaitAsync();
            return (Assert.Throws<InvalidOperationException>(p.Kill),
                    Assert.Throws<InvalidOperationException>(p.Terminate),
                    Assert.Throws<InvalidOperationException>(() => p.SendSignal(2)));
        });
        Assert.Contains("has exited", e1.Message);
        Assert.Contains("ReturnCode", e2.Message);
        Assert.NotNull(e3);
    }

    [Fact]
    public async Task Communicate_TenMegabytesOnStdoutAndStderrAtOnce_DoesNotDeadlock()   // P4, test_communicate (large)
    {
        const int N = 10_000_000;
        var (o, e, rc) = await RunAsync(async () =>
        {
            // Interleaved 1 MB writes: the child blocks on whichever pipe is not read.
            var p = await Aio.CreateSubprocessExec(Python, ["-c",
                "import sys\no=sys.stdout.buffer; e=sys.stderr.buffer\nfor i in range(10):\n  o.write(b'x'*1000000); o.flush(); e.write(b'y'*1000000); e.flush()"],
                stdout: Redirect.Pipe, stderr: Redirect.Pipe);
            var (stdout, stderr) = await p.CommunicateAsync();
            return (stdout!, stderr!, p.ReturnCode);
        });
        Assert.Equal(N, o.Length);
        Assert.Equal(N, e.Length);
        Assert.True(o.All(b => b == (byte)'x'));
        Assert.True(e.All(b => b == (byte)'y'));
        Assert.Equal(0, rc);
    }

    [Fact]
    public async Task Communicate_TenMegabytesThroughCat_ComesBackIntact()   // P3/P4: stdin written while stdout is read
    {
        var input = new byte[10_000_000];
        new Random(7).NextBytes(input);
        var o = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("cat", stdin: Redirect.Pipe, stdout: Redirect.Pipe);
            return (await p.CommunicateAsync(input)).Stdout!;
        });
        Assert.Equal(input, o);
    }

    [Fact]
    public async Task Communicate_ChildExitsWithoutReadingInput_IgnoresBrokenPipe()   // P3, test_communicate_ignore_broken_pipe
    {
        var (o, rc) = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("sh", ["-c", "echo done"], stdin: Redirect.Pipe, stdout: Redirect.Pipe);
            var (stdout, _) = await p.CommunicateAsync(new byte[4_000_000]);
            return (stdout, p.ReturnCode);
        });
        Assert.Equal("done\n", S(o));
        Assert.Equal(0, rc);
    }

    [Fact]
    public async Task StdinWriter_ChildGone_DrainThrowsIOException()   // test_stdin_broken_pipe
    {
        var error = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("true", stdin: Redirect.Pipe);
            await p.WaitAsync();
            // asyncio raises from drain(); here the writer already knows at Write.
            return await Record.ExceptionAsync(async () => { p.Stdin!.Write(new byte[1_000_000]); await p.Stdin.DrainAsync(); });
        });
        Assert.IsAssignableFrom<IOException>(error);
    }

    [Fact]
    public async Task StderrToStdout_MergesStreams_StderrIsNull()   // P2
    {
        var (o, e, hasErr) = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessShell("echo out; echo err 1>&2", stdout: Redirect.Pipe, stderr: Redirect.Stdout);
            var (stdout, stderr) = await p.CommunicateAsync();
            return (stdout, stderr, p.Stderr != null);
        });
        Assert.Equal("out\nerr\n", S(o));
        Assert.Null(e);
        Assert.False(hasErr);
    }

    [Fact]
    public async Task DevNull_GivesNoStreams_AndEofOnStdin()   // P2, test_devnull_input/output/error
    {
        var (streams, o, rc) = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("cat", stdin: Redirect.DevNull, stdout: Redirect.DevNull, stderr: Redirect.DevNull);
            var none = (p.Stdin, p.Stdout, p.Stderr) == (null, null, null);
            var (stdout, stderr) = await p.CommunicateAsync(B("ignored"));
            var q = await Aio.CreateSubprocessExec("cat", stdin: Redirect.DevNull, stdout: Redirect.Pipe);
            return (none && stderr == null && stdout == null, (await q.CommunicateAsync()).Stdout, p.ReturnCode);
        });
        Assert.True(streams);
        Assert.Empty(o!);
        Assert.Equal(0, rc);
    }

    [Fact]
    public async Task EnvAndCwd_AreTheChilds()
    {
        string dir = Directory.CreateTempSubdirectory("aio-sub-").FullName;
        try
        {
            var o = await RunAsync(async () =>
            {
                var env = new Dictionary<string, string> { ["FOO"] = "bar baz", ["PATH"] = "/usr/bin:/bin" };
                var p = await Aio.CreateSubprocessExec("sh", ["-c", "echo \"$FOO\"; pwd; echo \"${HOME:-nohome}\""],
                    stdout: Redirect.Pipe, cwd: dir, env: env);
                return (await p.CommunicateAsync()).Stdout;
            });
            Assert.Equal($"bar baz\n{new DirectoryInfo(dir).FullName}\nnohome\n", S(o));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task MissingProgram_ThrowsFileNotFound_NamingIt()   // P1
    {
        var (bare, path) = await RunAsync(async () =>
            (await Assert.ThrowsAsync<FileNotFoundException>(() => Aio.CreateSubprocessExec("no-such-program-aio")),
             await Assert.ThrowsAsync<FileNotFoundException>(() => Aio.CreateSubprocessExec("/nonexistent/prog"))));
        Assert.Contains("no-such-program-aio", bare.Message);
        Assert.Equal("no-such-program-aio", bare.FileName);
        Assert.Contains("/nonexistent/prog", path.Message);
    }

    [Fact]
    public async Task MissingCwd_ThrowsDirectoryNotFound()
    {
        var e = await RunAsync(() => Assert.ThrowsAsync<DirectoryNotFoundException>(() => Aio.CreateSubprocessExec("true", cwd: "/nonexistent-aio-dir")));
        Assert.Contains("/nonexistent-aio-dir", e.Message);
    }

    [Fact]
    public async Task RedirectStdout_ForStdinOrStdout_ThrowsArgumentException()
    {
        var (a, b) = await RunAsync(() => Task.FromResult((
            Assert.Throws<ArgumentException>(() => { _ = Aio.CreateSubprocessExec("true", stdin: Redirect.Stdout); }),
            Assert.Throws<ArgumentException>(() => { _ = Aio.CreateSubprocessShell("true", stdout: Redirect.Stdout); }))));
        Assert.Equal("stdin", a.ParamName);
        Assert.Equal("stdout", b.ParamName);
    }

    [Fact]
    public async Task Communicate_Twice_ThrowsInvalidOperation()
    {
        var e = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("true", stdout: Redirect.Pipe);
            await p.CommunicateAsync();
            return await Assert.ThrowsAsync<InvalidOperationException>(() => p.CommunicateAsync());
        });
        Assert.Contains("again", e.Message);
    }

    [Fact]
    public async Task ReadStdout_AfterProcessExit_StillGetsTheOutput()   // test_read_stdout_after_process_exit
    {
        var o = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessShell("echo hi", stdout: Redirect.Pipe);
            await p.WaitAsync();
            return await p.Stdout!.ReadAsync(-1);
        });
        Assert.Equal("hi\n", S(o));
    }

    [Fact]
    public async Task ConcurrentWaits_AllGetTheReturnCode()   // test_subprocess_concurrent_wait
    {
        var codes = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessShell("exit 3");
            var waits = Enumerable.Range(0, 3).Select(_ => Aio.CreateTask(() => p.WaitAsync())).ToList();
            var r = new List<int>();
            foreach (var w in waits) r.Add(await w);
            r.Add(await p.WaitAsync());
            return r;
        });
        Assert.Equal([3, 3, 3, 3], codes);
    }

    [Fact]
    public async Task Wait_AlsoWaitsForPipesHeldByAGrandchild()   // P5
    {
        var (rc, waitDoneAtExit, o) = await RunAsync(async () =>
        {
            // The shell exits at once; its background child keeps stdout open for a while.
            var p = await Aio.CreateSubprocessShell("(sleep 0.5; echo late) & exit 0", stdout: Redirect.Pipe);
            var wait = Aio.CreateTask(() => p.WaitAsync());
            while (p.ReturnCode == null) await Task.Delay(5);
            await Aio.Sleep(0);
            bool early = wait.IsDone;
            var rest = await p.Stdout!.ReadAsync(-1);
            return (await wait, early, rest);
        });
        Assert.Equal(0, rc);
        Assert.False(waitDoneAtExit);
        Assert.Equal("late\n", S(o));
    }

    [Fact]
    public async Task LoopClose_KillsRunningChild_AndReportsIt()   // P10, test_close_kill_running
    {
        var reports = new List<IReadOnlyDictionary<string, object?>>();
        var loop = AioEventLoop.Create(Sys, "closing-kill");
        loop.SetExceptionHandler((_, ctx) => { lock (reports) reports.Add(ctx); });
        var (running, finished) = await loop.RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("sleep", ["30"]);
            var q = await Aio.CreateSubprocessExec("true");
            await q.WaitAsync();
            return (p.Pid, q.Pid);
        });
        await loop.DisposeAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Exists(running) && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.False(Exists(running));
        var report = Assert.Single(reports);
        Assert.Contains($"<AioProcess {running} 'sleep'", (string)report["message"]!);
        Assert.Contains("killed", (string)report["message"]!);
        Assert.DoesNotContain(reports, r => ((string)r["message"]!).Contains(finished.ToString() + " "));   // test_close_dont_kill_finished
    }

    [Fact]
    public async Task CancelWait_DoesNotKillTheChild()   // P8, test_cancel_process_wait
    {
        var (cancelled, runningAfter, rc) = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("sleep", ["30"]);
            var w = Aio.CreateTask(() => p.WaitAsync());
            await Aio.Sleep(0);
            w.Cancel();
            var e = await Record.ExceptionAsync(async () => await w);
            bool running = p.ReturnCode == null && Exists(p.Pid);
            p.Kill();
            return (e is OperationCanceledException, running, await p.WaitAsync());
        });
        Assert.True(cancelled);
        Assert.True(runningAfter);
        Assert.Equal(-9, rc);
    }

    [Fact]
    public async Task CancelCommunicate_DoesNotKill_AndLosesNoOutput()   // P8, test_cancel_process_wait (communicate)
    {
        var (cancelled, runningAfter, o, rc) = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessShell("echo first; exec sleep 30", stdout: Redirect.Pipe);
            var c = Aio.CreateTask(() => p.CommunicateAsync());
            while (p.CommunicatedBytes == 0) await Task.Delay(5);   // until the pump took "first" out of the reader
            c.Cancel();
            var e = await Record.ExceptionAsync(async () => await c);
            bool running = p.ReturnCode == null && Exists(p.Pid);
            p.Kill();
            var (stdout, _) = await p.CommunicateAsync();
            return (e is OperationCanceledException, running, stdout, p.ReturnCode);
        });
        Assert.True(cancelled);
        Assert.True(runningAfter);
        Assert.Equal("first\n", S(o));
        Assert.Equal(-9, rc);
    }

    [Fact]
    public async Task CancelCommunicate_WithToken_DoesNotKill()   // P8
    {
        var (cancelled, rc) = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("sleep", ["30"], stdout: Redirect.Pipe);
            using var cts = new CancellationTokenSource();
            var c = Aio.CreateTask(() => p.CommunicateAsync(null, cts.Token));
            await Aio.Sleep(0);
            cts.Cancel();
            var e = await Record.ExceptionAsync(async () => await c);
            bool alive = p.ReturnCode == null;
            p.Terminate();
            await p.WaitAsync();
            return (e is OperationCanceledException && alive, p.ReturnCode);
        });
        Assert.True(cancelled);
        Assert.Equal(-15, rc);
    }

    [Fact]
    public async Task ToString_ShowsPidAndState()
    {
        var (running, done) = await RunAsync(async () =>
        {
            var p = await Aio.CreateSubprocessExec("sleep", ["30"]);
            string r = p.ToString();
            p.Kill();
            await p.WaitAsync();
            return (r, p.ToString());
        });
        Assert.Matches(@"^<AioProcess \d+ 'sleep' \[running\]>$", running);
        Assert.EndsWith("[returncode=-9]>", done);
    }
}
