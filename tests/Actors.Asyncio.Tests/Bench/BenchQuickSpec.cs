using System.Diagnostics;
using Actors.Asyncio.Bench.Harness;
using Actors.Asyncio.Bench.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Bench;

/// <summary>Runs every benchmark scenario once in --quick mode (this library, plain .NET, Nito, raw Akka, and CPython
/// when python3 is on PATH) so the benchmark keeps compiling and running. No timing is asserted: only that every
/// implementation that is not pending produced every metric.</summary>
[Collection(SocketsCollection.Name)]
public sealed class BenchQuickSpec(ITestOutputHelper output)
{
    [Fact]
    public async Task QuickRun_EveryScenario_ProducesAMeasurement()
    {
        var python = new PythonRunner(PythonRunner.FindScriptDir(AppContext.BaseDirectory, Environment.CurrentDirectory));
        bool hasPython = python.ScriptDir != null && python.Version() != null;
        var log = new StringWriter();
        var sw = Stopwatch.StartNew();
        IReadOnlyList<ScenarioResult> results;
        await using (var ctx = new BenchContext(quick: true))
        {
            var runner = new BenchRunner(ctx, python, reps: 1, log) { SkipPython = !hasPython, RepTimeout = TimeSpan.FromSeconds(30) };
            results = await runner.RunAsync(ScenarioCatalog.All);
        }
        output.WriteLine(log.ToString());
        output.WriteLine(ResultTable.Render(results));
        output.WriteLine($"quick run took {sw.Elapsed.TotalSeconds:0.0} s; python3 {(hasPython ? "used" : "not found: CPython skipped")}");

        Assert.Equal(ScenarioCatalog.All.Count, results.Count);
        foreach (var r in results)
        {
            Assert.True(r.ByImpl.Values.Any(v => v.Status == ImplResult.Outcome.Measured), $"{r.Scenario.Name}: nothing was measured");
            foreach (var (impl, res) in r.ByImpl)
            {
                if (res.Status == ImplResult.Outcome.Pending) continue;
                if (impl == Impl.CPython && !hasPython) continue;
                // A scenario asyncio cannot express (remote_queue: asyncio stops at one process) has no CPython script.
                if (impl == Impl.CPython && res.Message?.StartsWith("no bench/python/", StringComparison.Ordinal) == true) continue;
                Assert.True(res.Status == ImplResult.Outcome.Measured, $"{r.Scenario.Name} / {impl}: {res.Status}: {res.Message}");
                foreach (var m in r.Scenario.Metrics)
                    Assert.True(double.IsFinite(res.Medians[m.Key]), $"{r.Scenario.Name} / {impl}: {m.Key} is {res.Medians[m.Key]}");
            }
        }
        // What main has today must be measured for this library, not left pending.
        foreach (var name in new[] { "spawn_gather", "sleeps", "ping_pong" })
            Assert.Equal(ImplResult.Outcome.Measured, results.Single(r => r.Scenario.Name == name).ByImpl[Impl.Aio].Status);
    }
}
