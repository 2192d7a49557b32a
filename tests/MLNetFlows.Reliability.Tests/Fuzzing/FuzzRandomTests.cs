using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// Every index of a fuzzing run draws its own file. Was: mutation i and i + 2 096 of a seed were the same file
/// (<c>Random(seed + index)</c>), so a 10 000-file bench run tried 2 096 distinct files.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class FuzzRandomTests(TinyModel glow, OtherModels others)
{
    /// <summary>
    /// Manifest-field mutations (a leaf of the manifest, one of 14 boundary values) at i and i + 2 096: with
    /// <c>Random(seed + index)</c>, 78 of 488 such pairs of seed 1313 (indices below 6 000) were the same file; unrelated
    /// draws give an equal pair about once in 200.
    /// </summary>
    [Theory]
    [InlineData(1313)]
    [InlineData(2026)]
    public void MutationsTwoThousandNinetySixApartDiffer(int seed)
    {
        var kinds = Enum.GetValues<ModelMutation>().Length;
        var indices = Enumerable.Range(0, 120).Select(k => (k * kinds) + (int)ModelMutation.ManifestField).ToArray();

        var repeated = indices.Where(i => Hash(seed, i) == Hash(seed, i + 2_096)).ToArray();

        Assert.True(repeated.Length <= 3, $"{repeated.Length} of {indices.Length} manifest-field mutations repeat 2 096 indices later: {string.Join(", ", repeated)}");
    }

    [Fact]
    public void BitFlipsOfDifferentIndicesAreDifferentFiles()
    {
        var indices = Enumerable.Range(0, 40).Select(k => (k * 2_096) + (int)ModelMutation.BitFlip).ToArray();

        Assert.Equal(indices.Length, indices.Select(i => Hash(1313, i)).Distinct().Count());
    }

    [Fact]
    public void TheSameSeedAndIndexGiveTheSameFile()
    {
        Assert.Equal(Hash(1313, 7), Hash(1313, 7));
        Assert.NotEqual(Hash(1313, 7), Hash(1314, 7));
    }

    [Fact]
    public void SeedsOfNeighbouringIndicesAreSpreadOverTheWholeRange()
    {
        var seeds = Enumerable.Range(0, 10_000).Select(i => FuzzRandom.Seed(1313, i)).ToArray();

        Assert.Equal(seeds.Length, seeds.Distinct().Count());
        Assert.All(seeds, s => Assert.InRange(s, 0, int.MaxValue));
        Assert.InRange(seeds.Count(s => s < int.MaxValue / 2), 4_800, 5_200);
    }

    /// <summary>The tests' budget (ModelFuzzTests: 25 files of each kind, seed 1313) still reaches the decompression bomb and huge architecture sizes.</summary>
    [Theory]
    [InlineData("glow")]
    [InlineData("cinn")]
    [InlineData("infogan")]
    public void TheTestBudgetDrawsTheBombAndHugeArchitectureSizes(string kind)
    {
        var model = others.Of(kind, glow);
        var kinds = Enum.GetValues<ModelMutation>().Length;
        var budget = Enumerable.Range(0, kinds * 25).ToArray();

        var bombs = budget.Where(i => i % kinds == (int)ModelMutation.HugeDeclaredSize).Count(i => LargestInflatedEntry(ModelFuzzer.Mutation(model, 1313, i).Bytes) >= ModelMutator.BombBytes);
        var hugeArchitectures = budget.Where(i => i % kinds == (int)ModelMutation.ManifestField).Count(i => HasHugeArchitectureValue(model, ModelFuzzer.Mutation(model, 1313, i).Bytes));

        Assert.True(bombs > 0, "no decompression bomb drawn");
        Assert.True(hugeArchitectures > 0, "no architecture size of 65 536 or more drawn");
    }

    private static long LargestInflatedEntry(byte[] zip)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            return archive.Entries.Max(e => e.Length);
        }
        catch (InvalidDataException)
        {
            return 0; // a huge size patched into the zip headers: not the bomb
        }
    }

    /// <summary>Whether a number nested in a manifest parameter (an architecture's field) was set to 65 536 or more.</summary>
    private static bool HasHugeArchitectureValue(byte[] original, byte[] mutated)
    {
        var before = ModelMutator.Read(original);
        var after = ModelMutator.Read(mutated);
        return before.Keys.Where(n => n.EndsWith("manifest.json", StringComparison.Ordinal) && after.ContainsKey(n)).Any(n =>
        {
            var parameters = JsonNode.Parse(before[n])!["parameters"]!.AsObject();
            var changed = JsonNode.Parse(after[n])!["parameters"]!.AsObject();
            return parameters.Where(p => p.Value is JsonObject).Any(p => p.Value!.AsObject().Any(field =>
                changed[p.Key]?[field.Key] is JsonValue value && value.TryGetValue<long>(out var number) && number >= 65_536
                && !JsonNode.DeepEquals(field.Value, value)));
        });
    }

    private string Hash(int seed, int index) => Convert.ToHexString(SHA256.HashData(ModelFuzzer.Mutation(others.ConditionalInn, seed, index, openDefects: false).Bytes));
}
