using System.Reflection;
using System.Runtime.CompilerServices;
using PublicApiGenerator;
using Xunit;

namespace Actors.Asyncio.ApiTests.PublicApi;

/// <summary>
/// The public surface of each package, approved on purpose: a change to it fails here until the approved file is
/// regenerated and reviewed in the same commit.
/// </summary>
/// <remarks>
/// To accept a deliberate change, run <c>AIO_ACCEPT_API=1 dotnet test tests/Actors.Asyncio.ApiTests --filter PublicApi</c>
/// (or copy the <c>*.received.txt</c> written next to the approved file over it) and commit the diff of
/// <c>tests/Actors.Asyncio.ApiTests/PublicApi/*.approved.txt</c>.
/// </remarks>
public class PublicApiSpec
{
    public static TheoryData<string> Assemblies => new() { "Actors.Asyncio", "Actors.Asyncio.TestKit", "Actors.Asyncio.Hosting", "Actors.Asyncio.Cluster" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void PublicApi_MatchesTheApprovedFile(string assemblyName)
    {
        var assembly = assemblyName switch
        {
            "Actors.Asyncio" => typeof(AioEventLoop).Assembly,
            "Actors.Asyncio.TestKit" => typeof(AioTestKit).Assembly,
            "Actors.Asyncio.Hosting" => typeof(AioHostingExtensions).Assembly,
            "Actors.Asyncio.Cluster" => typeof(ClusterQueueDirectory).Assembly,
            _ => throw new ArgumentOutOfRangeException(nameof(assemblyName), assemblyName, "Unknown assembly: add it to the switch."),
        };
        string actual = Generate(assembly);
        string approvedPath = Path.Combine(ThisFolder(), assemblyName + ".approved.txt");
        string receivedPath = Path.Combine(ThisFolder(), assemblyName + ".received.txt");

        if (Environment.GetEnvironmentVariable("AIO_ACCEPT_API") is "1" or "true")
        {
            File.WriteAllText(approvedPath, actual);
            File.Delete(receivedPath);
            return;
        }
        string approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : "";
        if (approved == actual)
        {
            File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, actual);
        Assert.Fail($"The public API of {assemblyName} changed.\n{Diff(approved, actual)}\n" +
                    $"If the change is intended, accept it: AIO_ACCEPT_API=1 dotnet test tests/Actors.Asyncio.ApiTests --filter PublicApi " +
                    $"(or copy {Path.GetFileName(receivedPath)} over {Path.GetFileName(approvedPath)}), then commit the approved file.");
    }

    private static string Generate(Assembly assembly) => Normalize(assembly.GeneratePublicApi(new ApiGeneratorOptions
    {
        // Build facts, not API: they change with the SDK and the commit.
        ExcludeAttributes =
        [
            "System.Runtime.Versioning.TargetFrameworkAttribute",
            "System.Reflection.AssemblyMetadataAttribute",
        ],
    }));

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd() + "\n";

    /// <summary>The lines only in one side, in order: enough to see what changed without a diff tool.</summary>
    private static string Diff(string approved, string actual)
    {
        var before = approved.Split('\n');
        var after = actual.Split('\n');
        var removed = before.Except(after).Select(l => "- " + l.Trim());
        var added = after.Except(before).Select(l => "+ " + l.Trim());
        var lines = removed.Concat(added).Take(60).ToArray();
        return lines.Length == 0 ? "(only the order of lines changed)" : string.Join("\n", lines);
    }

    private static string ThisFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
