using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Xunit;

namespace Actors.Asyncio.Tests.Config;

/// <summary>docs/configuration.md documents every key of config/reference.conf and no other.</summary>
public class ReferenceConfigSpec
{
    private static readonly Regex DocumentedKey = new(@"^\|\s*`(actors\.asyncio\.[A-Za-z0-9.\-]+)`\s*\|\s*`([^`]*)`\s*\|", RegexOptions.Multiline);

    [Fact]
    public void ReferenceConf_EveryKey_IsDocumentedInConfigurationMd()
    {
        var documented = DocumentedKeys();
        var missing = ShippedKeys().Where(k => !documented.Contains(k)).ToList();
        Assert.True(missing.Count == 0,
            $"config/reference.conf has keys that docs/configuration.md does not list: {string.Join(", ", missing)}. Add a row to its table.");
    }

    [Fact]
    public void ConfigurationMd_EveryDocumentedKey_ExistsInReferenceConf()
    {
        var shipped = ShippedKeys();
        var stale = DocumentedKeys().Where(k => !shipped.Contains(k)).ToList();
        Assert.True(stale.Count == 0,
            $"docs/configuration.md lists keys that config/reference.conf does not have: {string.Join(", ", stale)}. Remove or rename the rows.");
    }

    [Fact]
    public void ConfigurationMd_EveryDefault_MatchesReferenceConf()
    {
        var shipped = Flatten(AioConfig.Default);
        var md = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "configuration.md"));
        var wrong = DocumentedKey.Matches(md)
            .Where(m => shipped.TryGetValue(m.Groups[1].Value, out var v) && v != m.Groups[2].Value)
            .Select(m => $"{m.Groups[1].Value}: docs say `{m.Groups[2].Value}`, reference.conf says `{shipped[m.Groups[1].Value]}`")
            .ToList();
        Assert.True(wrong.Count == 0, $"docs/configuration.md shows stale defaults; fix its table: {string.Join("; ", wrong)}.");
    }

    [Fact]
    public void AioConfigDefault_IsTheEmbeddedReferenceConf()
    {
        var onDisk = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(RepoRoot(), "config", "reference.conf")));
        Assert.Equal(Flatten(onDisk), Flatten(AioConfig.Default));
        Assert.False(AioConfig.Default.GetBoolean("actors.asyncio.debug"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), AioConfig.Default.GetTimeSpan("actors.asyncio.slow-callback-duration"));
    }

    private static HashSet<string> ShippedKeys() => Flatten(AioConfig.Default).Keys.ToHashSet();

    private static HashSet<string> DocumentedKeys()
    {
        var md = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "configuration.md"));
        var keys = DocumentedKey.Matches(md).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(keys);
        return keys;
    }

    /// <summary>Every leaf under actors.asyncio (an empty section such as <c>loops { }</c> counts as one) with its
    /// value as text.</summary>
    private static SortedDictionary<string, string> Flatten(Akka.Configuration.Config config)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Walk(string path, HoconValue value)
        {
            if (value.IsObject())
            {
                var items = value.GetObject().Items;
                if (items.Count == 0) result[path] = "{ }";
                foreach (var (key, child) in items) Walk(path + "." + key, child);
            }
            else result[path] = value.ToString();
        }
        Walk("actors.asyncio", config.GetValue("actors.asyncio"));
        return result;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Cannot find the repository root (the folder of Actors.sln) above {AppContext.BaseDirectory}.");
    }
}
