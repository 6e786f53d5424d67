using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Actors.Asyncio.Bench.Harness;

/// <summary>Runs bench/python/&lt;scenario&gt;.py with python3 and reads the JSON line it prints last.</summary>
public sealed class PythonRunner
{
    private readonly string _python;

    /// <summary>Uses <paramref name="python"/> (default "python3" from PATH) and the scripts in <paramref name="scriptDir"/>.</summary>
    public PythonRunner(string? scriptDir, string python = "python3")
    {
        ScriptDir = scriptDir;
        _python = python;
    }

    /// <summary>The folder holding the scripts, or null when it could not be found.</summary>
    public string? ScriptDir { get; }

    /// <summary>The script of <paramref name="scenario"/>, or null when there is none.</summary>
    public string? ScriptOf(string scenario)
    {
        if (ScriptDir == null) return null;
        var path = Path.Combine(ScriptDir, scenario + ".py");
        return File.Exists(path) ? path : null;
    }

    /// <summary>"Python 3.x.y", or null when python3 is not on PATH.</summary>
    public string? Version()
    {
        try
        {
            var (code, stdout, stderr) = RunProcess(["--version"], TimeSpan.FromSeconds(10));
            return code == 0 ? (stdout + stderr).Trim() : null;
        }
        catch (Win32Exception) { return null; }
    }

    /// <summary>One repetition: runs the script (with --quick when asked) and parses its measurements.</summary>
    /// <exception cref="Win32Exception">python3 is not on PATH.</exception>
    /// <exception cref="InvalidOperationException">The script failed, timed out, or printed no JSON.</exception>
    public Sample Run(string script, bool quick, TimeSpan timeout)
    {
        var args = quick ? new[] { "-X", "utf8", script, "--quick" } : ["-X", "utf8", script];
        var (code, stdout, stderr) = RunProcess(args, timeout);
        if (code != 0)
            throw new InvalidOperationException($"{Path.GetFileName(script)} exited with {code}: {LastLine(stderr)}");
        var json = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException($"{Path.GetFileName(script)} printed no JSON line.");
        var sample = new Sample();
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.Number) sample[p.Name] = p.Value.GetDouble();
        return sample;
    }

    private (int Code, string Stdout, string Stderr) RunProcess(string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(_python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ScriptDir ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        // tcp_echo.py measures its asyncio servers with the same load generator as the .NET servers.
        if (TcpLoadGenerator.Command() is { } generator) psi.Environment[TcpLoadGenerator.EnvironmentVariable] = JsonSerializer.Serialize(generator);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {_python}.");
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            // Only the child we started, and its own children.
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.WaitForExit(5000);
            throw new InvalidOperationException(
                $"{string.Join(' ', args)} did not finish within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s and was killed.");
        }
        p.WaitForExit();
        return (p.ExitCode, outTask.GetAwaiter().GetResult(), errTask.GetAwaiter().GetResult());
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no stderr)";

    /// <summary>Looks for bench/python upwards from <paramref name="start"/> (the build output or the working directory).</summary>
    public static string? FindScriptDir(params string[] start)
    {
        var env = Environment.GetEnvironmentVariable("ACTORS_ASYNCIO_BENCH_PYTHON_DIR");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        foreach (var s in start)
        {
            for (var dir = new DirectoryInfo(s); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "bench", "python");
                if (Directory.Exists(candidate) && File.Exists(Path.Combine(candidate, "_common.py"))) return candidate;
            }
        }
        return null;
    }
}
