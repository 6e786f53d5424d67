using System.Globalization;
using System.Runtime.InteropServices;
using Actors.Asyncio.Bench.Scenarios;

namespace Actors.Asyncio.Bench.Harness;

/// <summary>The command line: <c>[scenario…] [--quick] [--reps N] [--no-python] [--out FILE]</c>.</summary>
public static class BenchProgram
{
    /// <summary>Parsed options.</summary>
    public sealed record Options(IReadOnlyList<IScenario> Scenarios, bool Quick, int Reps, bool NoPython, string? OutFile);

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> on a bad one.</summary>
    public static Options Parse(string[] args)
    {
        bool quick = false, noPython = false;
        int? reps = null;
        string? outFile = null;
        var names = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--no-python": noPython = true; break;
                case "--reps":
                    if (i + 1 >= args.Length || !int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) || r < 1)
                        throw new ArgumentException("--reps needs a positive whole number, e.g. --reps 5.");
                    reps = r;
                    break;
                case "--out":
                    if (i + 1 >= args.Length) throw new ArgumentException("--out needs a file path.");
                    outFile = args[++i];
                    break;
                default:
                    if (args[i].StartsWith('-')) throw new ArgumentException($"Unknown option '{args[i]}'; use [scenario…] [--quick] [--reps N] [--no-python] [--out FILE].");
                    names.Add(args[i]);
                    break;
            }
        }
        var all = ScenarioCatalog.All;
        var selected = names.Count == 0
            ? all
            : names.Select(n => all.FirstOrDefault(s => string.Equals(s.Name, n, StringComparison.OrdinalIgnoreCase))
                                ?? throw new ArgumentException($"Unknown scenario '{n}'; choose from: {string.Join(", ", all.Select(s => s.Name))}.")).ToList();
        return new Options(selected, quick, reps ?? (quick ? 1 : 5), noPython, outFile);
    }

    /// <summary>Runs the benchmark and returns the process exit code.</summary>
    public static async Task<int> MainAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == TcpLoadGenerator.Flag) return TcpLoadGenerator.Run(args[1..]);
        Options o;
        try { o = Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        var scriptDir = PythonRunner.FindScriptDir(AppContext.BaseDirectory, Environment.CurrentDirectory);
        var python = new PythonRunner(scriptDir);
        await using var ctx = new BenchContext(o.Quick);
        var runner = new BenchRunner(ctx, python, o.Reps, Console.Out) { SkipPython = o.NoPython };
        var results = await runner.RunAsync(o.Scenarios);
        var header = Header(o, python);
        var table = ResultTable.Render(results) + "\n## Targets\n\n" + (o.Quick
            ? "Not judged: a --quick run uses small counts, not the issues' sizes.\n"
            : Targets.Render(results) +
              "\nA machine busy with other work skews the ratios (a single-threaded CPython loses more CPU share than a " +
              "multi-threaded .NET process): judge the targets on a quiet machine.\n");
        Console.WriteLine();
        Console.WriteLine(header);
        Console.WriteLine(table);
        var outFile = o.OutFile ?? (scriptDir != null ? Path.Combine(scriptDir, "..", "results", "latest.md") : null);
        if (outFile != null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
            await File.WriteAllTextAsync(outFile, "# Actors.Asyncio benchmark: latest run\n\n" + header + "\n" + table);
            Console.WriteLine($"Written to {Path.GetFullPath(outFile)}");
        }
        return results.Any(r => r.ByImpl.Values.Any(v => v.Status == ImplResult.Outcome.Failed)) ? 1 : 0;
    }

    /// <summary>When, where and how the run was made.</summary>
    public static string Header(Options o, PythonRunner python)
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        double load = -1;
        try { load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture); }
        catch (IOException) { }
        catch (FormatException) { }
        return $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {Environment.ProcessorCount} cores, {cpu}, {RuntimeInformation.FrameworkDescription}, " +
               $"{python.Version() ?? "no python3"}, {(o.Quick ? "--quick" : "full size")}, {o.Reps} rep(s), load average at the end {(load >= 0 ? load.ToString("0.0", CultureInfo.InvariantCulture) : "?")}.\n";
    }
}
