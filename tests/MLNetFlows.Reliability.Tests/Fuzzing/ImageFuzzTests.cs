using System.Globalization;
using MLNetFlows.Reliability.Tests.Cli;
using Xunit.Abstractions;

namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>
/// Seeded image fuzzing with a small fixed budget (bench/reliability/fuzz-images.sh runs 10 000+): every mutated file
/// is loaded or reported by path and reason, through the library and through <c>mlnetflows score</c>; never an
/// exception, never a hang.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class ImageFuzzTests(TinyModel model, ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20261129;
    private static readonly TimeSpan PerFileLimit = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void EveryMutatedImageIsLoadedOrReportedByPathAndReason()
    {
        var count = 7 * 50;
        var files = ImageFuzzer.WriteMutations(_directory.Path, count, Seed);

        var tally = ImageFuzzer.Run(files, PerFileLimit);

        output.WriteLine(tally.Summary());
        Assert.True(tally.Crashed == 0 && tally.Hung == 0, tally.Summary());
        Assert.Equal(count, tally.Total);
        Assert.True(tally.Refused > count / 3, "most mutations must be refused: the mutator did not damage the files");
        Assert.True(tally.Accepted > 0, "some mutations (e.g. flips in ancillary data) must still load");
    }

    [Fact]
    public void TheCliScoresOrReportsEveryMutatedImage()
    {
        var count = 7 * 10;
        var folder = Directory.CreateDirectory(_directory.File("images")).FullName;
        ImageFuzzer.WriteMutations(folder, count, Seed + 1_000_000);
        var csv = _directory.File("scores.csv");

        var run = Tool.Run("score", "--model", model.Path, "--data", folder, "--output", csv, "--threads", "1").AssertSuccess();

        var scored = File.ReadAllLines(csv).Length - 1;
        var skipped = run.ErrorLines.FirstOrDefault(l => l.StartsWith("skipped ", StringComparison.Ordinal)) is { } line
            ? int.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture)
            : 0;
        output.WriteLine($"{scored} scored, {skipped} skipped; {run.Error}");
        Assert.Equal(count, scored + skipped);
        Assert.Contains($"wrote {csv} ({scored} images", run.Output, StringComparison.Ordinal);
        Assert.All(run.ErrorLines.Where(l => l.StartsWith(folder, StringComparison.Ordinal)), l => Assert.Matches(@"^\S+: \S", l));
    }
}
