using MLNetFlows.Reliability.Tests.Fuzzing;

namespace MLNetFlows.Reliability.Tests.Cli;

/// <summary>
/// Regression tests of the defects found by trying the CLI as a new user would (issue 13, item 5, and what this work
/// found): every expected failure is one line and exit code 1, and inputs are checked before anything is scored.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class CliDefectTests(TinyModel model) : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>Was "mlnetflows: internal error: System.InvalidOperationException: Cannot parse argument …", exit code 70.</summary>
    [Theory]
    [InlineData("--limit", "abc", "System.Nullable`1[System.Int32]", "score", "--limit", "abc")]
    [InlineData("--threads", "x", "System.Int32", "train", "glow", "--threads", "x")]
    [InlineData("--temperature", "inf", "System.Double", "sample", "--temperature", "inf")]
    public void ANonNumericValueIsOneLineNamingTheOption(string option, string value, string type, params string[] args)
    {
        var line = Tool.Run(args).AssertOneLineFailure();

        Assert.Equal($"mlnetflows: error: Cannot parse argument '{value}' for option '{option}' as expected type '{type}'.", line);
    }

    /// <summary>Was three lines: the parser's suggestions each on its own line.</summary>
    [Fact]
    public void AnUnknownEnumValueIsOneLineWithTheChoices()
    {
        var line = Tool.Run("score", "--on-bad-image", "maybe").AssertOneLineFailure();

        Assert.Equal("mlnetflows: error: Cannot parse argument 'maybe' for option '--on-bad-image' as expected type 'MLNetFlows.Transforms.Image.BadImageHandling'. Did you mean one of the following? Fail Skip", line);
    }

    [Fact]
    public void ZeroStepsBetweenCheckpointsIsRefused()
    {
        var line = Tool.Run(TinyModel.TrainArguments(_directory.File("m.zip"), "--checkpoint-every", "0")).AssertOneLineFailure();

        Assert.StartsWith("mlnetflows: error: CheckpointEverySteps must be at least 1, got 0", line, StringComparison.Ordinal);
    }

    /// <summary>The known defect: a folder was refused although the message asked for one.</summary>
    [Fact]
    public void EvaluateTakesAFolderOfImagesAsTheAnomalousSet()
    {
        var folder = Directory.CreateDirectory(_directory.File("ood")).FullName;
        foreach (var seed in ImageFuzzer.Seeds().Take(4))
        {
            File.Copy(seed, Path.Combine(folder, Path.GetFileName(seed)));
        }

        var run = Tool.Run("evaluate", "--model", model.Path, "--normal", "fashion-mnist-test", "--limit", "40", "--anomalous", folder, "--threads", "1").AssertSuccess();

        Assert.Contains($"AUROC, fashion-mnist-test normal vs {folder} anomalous (4 images", run.Output, StringComparison.Ordinal);
    }

    /// <summary>The known defect: the whole normal set was scored before the anomalous input was looked at.</summary>
    [Theory]
    [InlineData("empty folder", "'{input}' holds no .png, .jpg, .jpeg files (subfolders included)")]
    [InlineData("header-only csv", "'{input}' lists no image paths: expected a header line and one image path per line")]
    [InlineData("unterminated quote", "'{input}' line 3: the first field opens a quote that is not closed on this line")]
    public void EvaluateChecksEveryInputBeforeScoringAnything(string kind, string expected)
    {
        var input = MakeInput(kind);

        var run = Tool.Run("evaluate", "--model", model.Path, "--normal", "fashion-mnist-test", "--anomalous", "mnist", input, "--threads", "1");

        Assert.Equal("mlnetflows: error: " + expected.Replace("{input}", input, StringComparison.Ordinal), run.AssertOneLineFailure());
        Assert.DoesNotContain("bits/dim", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("score fashion-mnist-test", run.Error, StringComparison.Ordinal);
    }

    /// <summary>A CSV row that cannot be read was an image path of "" (reported as "the path is empty", no line), or silently misread.</summary>
    [Theory]
    [InlineData("unterminated quote", "line 3: the first field opens a quote that is not closed on this line")]
    [InlineData("empty path", "line 2: the first column must hold an image path, got an empty field")]
    [InlineData("text after quote", "line 2: unexpected text after the closing quote of the first field: x.png,1")]
    [InlineData("nul in path", "line 2: the first column must hold an image path, got a field with a NUL character")]
    public void AMalformedCsvRowIsNamedByLineBeforeTheModelIsLoaded(string kind, string expected)
    {
        var csv = MakeInput(kind);

        // The model path does not exist: the CSV must be refused first.
        var line = Tool.Run("score", "--model", _directory.File("missing.zip"), "--data", csv, "--output", _directory.File("s.csv")).AssertOneLineFailure();

        Assert.Equal($"mlnetflows: error: '{csv}' {expected}", line);
    }

    [Fact]
    public void QuotedPathsWithCommasAndQuotesAreRead()
    {
        var folder = Directory.CreateDirectory(_directory.File("odd, \"names\"")).FullName;
        File.Copy(ImageFuzzer.Seeds().First(s => s.EndsWith(".png", StringComparison.Ordinal)), Path.Combine(folder, "a, b.png"));
        var csv = _directory.File("list.csv");
        File.WriteAllText(csv, "path,label\n\"odd, \"\"names\"\"/a, b.png\",1\n\n");
        var output = _directory.File("s.csv");

        Tool.Run("score", "--model", model.Path, "--data", csv, "--output", output, "--threads", "1").AssertSuccess();

        Assert.StartsWith($"\"{folder.Replace("\"", "\"\"", StringComparison.Ordinal)}/a, b.png\",", File.ReadAllLines(output)[1], StringComparison.Ordinal);
    }

    private string MakeInput(string kind)
    {
        switch (kind)
        {
            case "empty folder":
                return Directory.CreateDirectory(_directory.File("empty")).FullName;
            default:
                var csv = _directory.File(kind.Replace(' ', '-') + ".csv");
                File.WriteAllText(csv, kind switch
                {
                    "header-only csv" => "path\n",
                    "unterminated quote" => "path\nimages/a.png\n\"images/b.png,1\n",
                    "empty path" => "path,label\n,1\n",
                    "text after quote" => "path\n\"a\"x.png,1\n",
                    "nul in path" => "path\nimages/a\0.png\n",
                    _ => throw new ArgumentException($"unknown input kind '{kind}'", nameof(kind)),
                });
                return csv;
        }
    }
}
