namespace MLNetFlows.InfoGan.Tests;

/// <summary>
/// <c>mlnetflows train infogan</c>, <c>sample infogan</c> (codes and traversal grid) and <c>infer</c>, run as a separate
/// process. One small model is trained once for the class (64 MNIST digits, one epoch).
/// </summary>
public sealed class InfoGanCliTests(InfoGanCliTests.TrainedModel trained) : IClassFixture<InfoGanCliTests.TrainedModel>
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void TrainWritesTheModelAndOneLinePerEpoch()
    {
        Assert.True(File.Exists(trained.ModelPath));
        Assert.Contains("training InfoGAN (noise 62, categorical codes [10], 2 continuous) on 64 images of mnist for 1 epochs", trained.Output, StringComparison.Ordinal);
        Assert.Contains("epoch 1: D loss ", trained.Output, StringComparison.Ordinal);
        Assert.Contains("saved model.zip", trained.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleWritesAGridOfTheChosenCodesAndTheTraversal()
    {
        var codes = ToolProcess.Run(trained.Folder, "sample", "infogan", "--model", "model.zip", "--category", "3", "--continuous", "0.5,-1", "--count", "4", "--output", "codes.png", "--threads", "1").Succeeded();
        var grid = ToolProcess.Run(trained.Folder, "sample", "infogan", "--model", "model.zip", "--traverse", "1", "--steps", "5", "--output", "grid.png", "--threads", "1").Succeeded();

        Assert.Equal("wrote codes.png (4 images)", codes.Output.Trim());
        Assert.Equal("wrote grid.png (50 images)", grid.Output.Trim());
        Assert.Equal(PngSignature, File.ReadAllBytes(Path.Combine(trained.Folder, "codes.png"))[..8]);
        Assert.Equal(PngSignature, File.ReadAllBytes(Path.Combine(trained.Folder, "grid.png"))[..8]);
    }

    [Fact]
    public void InferWritesOneCsvRowOfCodesPerImage()
    {
        ToolProcess.Run(trained.Folder, "infer", "--model", "model.zip", "--data", "mnist", "--limit", "3", "--output", "codes.csv", "--threads", "1").Succeeded();

        var lines = File.ReadAllLines(Path.Combine(trained.Folder, "codes.csv"));
        Assert.Equal("path,category," + string.Join(',', Enumerable.Range(0, 10).Select(c => $"category_p{c}")) + ",continuous0,continuous1", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.All(lines[1..], l =>
        {
            var fields = l.Split(',');
            Assert.Equal(14, fields.Length);
            Assert.InRange(int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), 0, 9);
        });
    }

    [Theory]
    [InlineData("mlnetflows: error: --category 10: categorical code 0 has 10 classes, numbered 0 to 9", "--category", "10")]
    [InlineData("mlnetflows: error: --continuous: the model has 2 continuous code(s), got 3 value(s)", "--continuous", "1,2,3")]
    [InlineData("mlnetflows: error: --continuous expects comma-separated numbers such as 0.5,-1, got '1,x'", "--continuous", "1,x")]
    [InlineData("mlnetflows: error: --traverse 2: the model has 2 continuous code(s), numbered 0 to 1", "--traverse", "2")]
    public void SampleRefusesCodesThatDoNotFitTheModel(string expected, string option, string value)
    {
        var result = ToolProcess.Run(trained.Folder, "sample", "infogan", "--model", "model.zip", option, value, "--threads", "1");

        Assert.Equal(expected, result.OneLineFailure());
    }

    [Fact]
    public void MissingModelsAndBadTrainingSettingsAreOneLineErrors()
    {
        var missing = ToolProcess.Run(trained.Folder, "sample", "infogan", "--model", "absent.zip");
        var notInfoGan = ToolProcess.Run(trained.Folder, "infer", "--model", "codes-not-a-model.zip");
        var classes = ToolProcess.Run(trained.Folder, "train", "infogan", "--categories", "1", "--output", "x.zip");
        var realInformation = ToolProcess.Run(trained.Folder, "train", "infogan", "--real-information-weight", "-1", "--output", "x.zip");

        Assert.Equal("mlnetflows: error: model file 'absent.zip' does not exist; train one with 'mlnetflows train infogan --output absent.zip'", missing.OneLineFailure());
        Assert.Equal("mlnetflows: error: model file 'codes-not-a-model.zip' is empty: expected a model zip written by 'mlnetflows train infogan'", notInfoGan.OneLineFailure());
        Assert.Equal("mlnetflows: error: every categorical code needs at least 2 classes, got 1 in [1]", classes.OneLineFailure());
        Assert.Equal("mlnetflows: error: RealInformationWeight must be finite and not negative, got -1", realInformation.OneLineFailure());
    }

    /// <summary>A folder with a model trained by the tool (and an empty file posing as a model).</summary>
    public sealed class TrainedModel : IDisposable
    {
        private readonly TempDirectory _directory = new();

        public TrainedModel()
        {
            File.WriteAllBytes(Path.Combine(Folder, "codes-not-a-model.zip"), []);
            var result = ToolProcess.Run(Folder, "train", "infogan", "--data", "mnist", "--limit", "64", "--epochs", "1", "--batch-size", "32", "--output", "model.zip", "--threads", "1").Succeeded();
            Output = result.Output;
        }

        public string Folder => _directory.Path;

        public string ModelPath => Path.Combine(Folder, "model.zip");

        public string Output { get; }

        public void Dispose() => _directory.Dispose();
    }
}
