using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.ApiTests.Packaging;

/// <summary>
/// What a user gets from NuGet: packs the src/ projects into a temporary folder, checks each package's metadata, then
/// builds and runs a throwaway console app that references the packages from that folder (Akka and the rest come from
/// the machine's NuGet sources, through its global packages folder when they are there already).
/// </summary>
/// <remarks>Everything is written under a temporary folder: the build uses its own artifacts path (the repository's
/// bin/obj are untouched, so it is safe while other test projects run) and restores into its own packages folder, so
/// the machine's global package cache never holds these test builds. Build servers are disabled so that no compiler
/// or MSBuild node outlives the test.</remarks>
public class PackageInstallSpec(ITestOutputHelper output)
{
    private static readonly string[] Packages = ["Actors.Asyncio", "Actors.Asyncio.TestKit", "Actors.Asyncio.Hosting", "Actors.Asyncio.Cluster"];
    private static readonly TimeSpan StepGuard = TimeSpan.FromMinutes(4);

    [PackagingFact]
    public async Task Pack_ThenInstallFromALocalFolder_ConsoleAppRunsAndPrints42()
    {
        string repo = RepoRoot();
        string work = Path.Combine(Path.GetTempPath(), "aio-package-spec-" + Guid.NewGuid().ToString("N")[..8]);
        string feed = Path.Combine(work, "feed");
        string version = "0.0.0-packagespec." + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        Directory.CreateDirectory(work);
        try
        {
            var total = Stopwatch.StartNew();
            // A solution filter of src/: dotnet pack on the whole solution would also build every test project.
            string filter = Path.Combine(work, "packages.slnf");
            var projects = Directory.GetFiles(Path.Combine(repo, "src"), "*.csproj", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(repo, p).Replace('\\', '/'));
            File.WriteAllText(filter, $$"""
                { "solution": { "path": "{{Path.Combine(repo, "Actors.sln").Replace('\\', '/')}}", "projects": [{{string.Join(", ", projects.Select(p => "\"" + p + "\""))}}] } }
                """);
            await Dotnet(work, "pack", filter, "-c", "Release", "-o", feed, "--artifacts-path", Path.Combine(work, "artifacts"),
                $"-p:PackageVersion={version}", "--disable-build-servers", "-nodeReuse:false", "-v", "q", "-nologo");
            var packed = total.Elapsed;

            foreach (var id in Packages) AssertPackage(Path.Combine(feed, $"{id}.{version}.nupkg"), id, version);

            string app = Path.Combine(work, "app");
            Directory.CreateDirectory(app);
            WriteConsumer(app, feed, Path.Combine(work, "packages"), version);
            string stdout = await Dotnet(app, "run", "-c", "Release", "--disable-build-servers", "-nodeReuse:false", "-v", "q", "-nologo");
            var lines = stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("42", lines[0]);   // Aio.Run prints nothing of its own
            Assert.Contains("hosted 42", lines);
            Assert.Contains("loop closed True", lines);
            output.WriteLine($"pack {packed.TotalSeconds:F1} s, install + build + run {(total.Elapsed - packed).TotalSeconds:F1} s, total {total.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static void AssertPackage(string path, string id, string version)
    {
        Assert.True(File.Exists(path), $"dotnet pack did not produce {Path.GetFileName(path)}");
        Assert.True(File.Exists(Path.ChangeExtension(path, ".snupkg")), $"no symbol package next to {Path.GetFileName(path)}");
        using var zip = ZipFile.OpenRead(path);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        using var nuspecStream = zip.GetEntry(id + ".nuspec")!.Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().First(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        XElement? Element(string name) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name);

        Assert.Equal(id, Value("id"));
        Assert.Equal(version, Value("version"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")), $"{id}: no description");
        Assert.False(string.IsNullOrWhiteSpace(Value("authors")), $"{id}: no authors");
        Assert.Equal("expression", Element("license")?.Attribute("type")?.Value);
        Assert.Equal("Apache-2.0", Value("license"));
        Assert.Equal("git", Element("repository")?.Attribute("type")?.Value);
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains("README.md", entries);
        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries);   // XML docs: IntelliSense for users
    }

    private static void WriteConsumer(string app, string feed, string packagesFolder, string version)
    {
        // Stop MSBuild's upward search for Directory.* files: the temporary folder may sit under anything.
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project />");
        string globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        // The local feed is added to the machine's sources (not instead of them): Akka comes from the usual source.
        File.WriteAllText(Path.Combine(app, "NuGet.Config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="aio-local" value="{feed}" />
              </packageSources>
              <config>
                <add key="globalPackagesFolder" value="{packagesFolder}" />
              </config>
              <fallbackPackageFolders>
                <add key="machine-cache" value="{globalPackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <WarningsNotAsErrors>NU1603</WarningsNotAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Actors.Asyncio" Version="{version}" />
                <PackageReference Include="Actors.Asyncio.Hosting" Version="{version}" />
                <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Actors.Asyncio;
            using Akka.Hosting;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            int answer = Aio.Run(async () => { await Aio.Sleep(0.01); return 42; });
            Console.WriteLine(answer);

            using var host = new HostBuilder()
                .ConfigureServices(services =>
                {
                    services.AddAkka("consumer", akka => akka
                        .AddHocon("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING", HoconAddMode.Prepend)
                        .WithAioEventLoop("io-loop"));
                    services.AddAioEventLoops();
                })
                .Build();
            await host.StartAsync();
            var loop = host.Services.GetRequiredService<AioEventLoop>();
            Console.WriteLine("hosted " + await loop.RunAsync(async () => { await Aio.Sleep(0.01); return 42; }));
            await host.StopAsync();
            Console.WriteLine("loop closed " + loop.IsClosed);
            """);
    }

    /// <summary>Runs the dotnet CLI and returns its standard output; fails the test with both streams on a non-zero exit.</summary>
    private async Task<string> Dotnet(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        // The test host runs under `dotnet test`, whose MSBuild variables would leak into the child build.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(StepGuard);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish within {StepGuard}.");
        }
        string o = await stdout, e = await stderr;
        if (process.ExitCode != 0)
            Assert.Fail(new StringBuilder($"dotnet {string.Join(' ', args)} exited with {process.ExitCode}\n").Append(o).Append('\n').Append(e).ToString());
        return o;
    }

    private static string RepoRoot([CallerFilePath] string path = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(path)!);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Actors.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"No Actors.sln above {path}: run the test from a checkout of the repository.");
    }
}
