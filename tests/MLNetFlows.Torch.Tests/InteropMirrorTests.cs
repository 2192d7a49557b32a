using System.Reflection;
using System.Text.RegularExpressions;
using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch.Tests;

/// <summary>The C header and the managed declarations mirror each other one-to-one, area by area.</summary>
public sealed partial class InteropMirrorTests
{
    [GeneratedRegex(@"MLNF_API\s+[^;]*?\b(mlnf_\w+)\s*\(", RegexOptions.Singleline)]
    private static partial Regex Export();

    [Fact]
    public void EveryHeaderExportHasExactlyOneManagedDeclarationAndViceVersa()
    {
        var header = File.ReadAllText(FindRepositoryFile("src/Native/include/mlnf.h"));
        var exports = Export().Matches(header).Select(m => m.Groups[1].Value).ToHashSet();
        var declared = typeof(Native).GetMethods(BindingFlags.Static | BindingFlags.NonPublic)
            .Where(m => m.Name.StartsWith("mlnf_", StringComparison.Ordinal))
            .Select(m => m.Name)
            .ToList();

        Assert.Equal(declared.Count, declared.Distinct().Count());
        Assert.Empty(exports.Except(declared));
        Assert.Empty(declared.Except(exports));
    }

    [Fact]
    public void EachManagedInteropFileMirrorsOneHeaderSection()
    {
        var header = File.ReadAllText(FindRepositoryFile("src/Native/include/mlnf.h"));
        var sections = Regex.Split(header, @"/\* ---- (\w+)\.cpp");
        for (var i = 1; i < sections.Length; i += 2)
        {
            var area = sections[i];
            var file = FindRepositoryFile($"src/Torch/Interop/Native.{char.ToUpperInvariant(area[0])}{area[1..]}.cs");
            var managed = File.ReadAllText(file);
            foreach (Match export in Export().Matches(sections[i + 1]))
            {
                Assert.Contains($" {export.Groups[1].Value}(", managed);
            }
        }
    }

    private static string FindRepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
