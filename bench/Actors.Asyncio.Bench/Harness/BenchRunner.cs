using System.ComponentModel;

namespace Actors.Asyncio.Bench.Harness;

/// <summary>Runs scenarios: this library first, then the CPython script, then the .NET / Nito / Akka baselines;
/// <see cref="Reps"/> repetitions each, medians kept.</summary>
public sealed class BenchRunner(BenchContext context, PythonRunner python, int reps, TextWriter? log = null)
{
    /// <summary>Repetitions per implementation.</summary>
    public int Reps { get; } = Math.Max(1, reps);

    /// <summary>Skip the CPython scripts (the in-process implementations still run).</summary>
    public bool SkipPython { get; init; }

    /// <summary>Untimed repetitions each in-process implementation runs first (default: 1 in a full run, 0 with --quick).</summary>
    public int WarmupReps { get; init; } = context.Quick ? 0 : 1;

    /// <summary>Upper bound for one repetition; a run past it is reported as failed.</summary>
    public TimeSpan RepTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Runs every scenario in <paramref name="scenarios"/>, in order.</summary>
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(IEnumerable<IScenario> scenarios)
    {
        var results = new List<ScenarioResult>();
        string? pythonMissing = SkipPython ? "CPython skipped" : python.Version() == null ? "python3 not on PATH" : null;
        foreach (var s in scenarios)
        {
            log?.WriteLine($"## {s.Name}: {s.Title}");
            var byImpl = new Dictionary<Impl, ImplResult>();
            var runs = s.Runs.ToList();
            var aio = runs.FirstOrDefault(r => r.Impl == Impl.Aio);
            if (aio != null) byImpl[Impl.Aio] = await RunInProcessAsync(s, aio);
            byImpl[Impl.CPython] = RunPython(s, pythonMissing);
            foreach (var r in runs.Where(r => r.Impl != Impl.Aio))
                byImpl[r.Impl] = await RunInProcessAsync(s, r);
            results.Add(new ScenarioResult(s, byImpl));
        }
        return results;
    }

    private async Task<ImplResult> RunInProcessAsync(IScenario s, ImplRun run)
    {
        if (run.Run == null)
        {
            log?.WriteLine($"   {ImplNames.Of(run.Impl),-16} pending ({run.Note})");
            return new ImplResult { Status = ImplResult.Outcome.Pending, Message = run.Note };
        }
        async Task<Sample> Once()
        {
            Measure.HeapAfterFullGc();   // each repetition starts from a collected heap
            var job = run.Run(context);
            return await job.WaitAsync(RepTimeout);
        }
        // An untimed first repetition for the in-process .NET implementations (BenchmarkDotNet's warm-up): tiered
        // JIT compiles the hot paths of a scenario during its first runs, and a CPython process has no JIT to warm.
        for (int i = 0; i < WarmupReps; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try { await Once(); }
            catch (Exception e) when (e is not Win32Exception)
            {
                log?.WriteLine($"   {ImplNames.Of(run.Impl),-16} warm-up FAILED: {e.GetType().Name}: {e.Message}");
                return new ImplResult { Status = ImplResult.Outcome.Failed, Message = $"{e.GetType().Name}: {e.Message}" };
            }
            log?.WriteLine($"   {ImplNames.Of(run.Impl),-16} warm-up (not counted)  [{clock.Elapsed.TotalSeconds:0.00} s]");
        }
        return await Repeat(s, run.Impl, Once, run.Note);
    }

    private ImplResult RunPython(IScenario s, string? missing)
    {
        if (missing != null) return Unavailable(s, missing);
        var script = python.ScriptOf(s.Name);
        if (script == null) return Unavailable(s, $"no bench/python/{s.Name}.py");
        try
        {
            return Repeat(s, Impl.CPython, () => Task.FromResult(python.Run(script, context.Quick, RepTimeout)), null)
                .GetAwaiter().GetResult();
        }
        catch (Win32Exception) { return Unavailable(s, "python3 not on PATH"); }
    }

    private ImplResult Unavailable(IScenario s, string why)
    {
        log?.WriteLine($"   {ImplNames.Of(Impl.CPython),-16} unavailable ({why})");
        return new ImplResult { Status = ImplResult.Outcome.Unavailable, Message = why };
    }

    private async Task<ImplResult> Repeat(IScenario s, Impl impl, Func<Task<Sample>> once, string? note)
    {
        var samples = new List<Sample>();
        for (int i = 0; i < Reps; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                var sample = await once();
                var missing = s.Metrics.Where(m => !sample.ContainsKey(m.Key)).Select(m => m.Key).ToList();
                if (missing.Count > 0)
                    throw new InvalidOperationException($"run reported no {string.Join(", ", missing)}");
                samples.Add(sample);
                log?.WriteLine($"   {ImplNames.Of(impl),-16} rep {i + 1}/{Reps}: {Format(s, sample)}  [{clock.Elapsed.TotalSeconds:0.00} s]");
            }
            catch (Exception e) when (e is not Win32Exception)
            {
                log?.WriteLine($"   {ImplNames.Of(impl),-16} rep {i + 1}/{Reps} FAILED: {e.GetType().Name}: {e.Message}");
                return new ImplResult { Status = ImplResult.Outcome.Failed, Samples = samples, Message = $"{e.GetType().Name}: {e.Message}" };
            }
        }
        var medians = s.Metrics.ToDictionary(m => m.Key, m => Median(samples.Select(x => x[m.Key])));
        return new ImplResult { Status = ImplResult.Outcome.Measured, Samples = samples, Medians = medians, Message = note };
    }

    private static string Format(IScenario s, Sample sample) =>
        string.Join(", ", s.Metrics.Select(m => $"{m.Key}={ResultTable.FormatValue(sample[m.Key])}"));

    /// <summary>The median (mean of the two middle values for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
