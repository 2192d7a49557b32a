using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Estimators.InfoGan;

namespace MLNetFlows.Onnx.Tests;

/// <summary><c>mlnetflows export</c> of conditional INN and InfoGAN model zips: dispatch by model kind, and the directions a model does not have.</summary>
public sealed class ConditionalCliTests : IClassFixture<ConditionalCliTests.SavedModels>
{
    private readonly SavedModels _models;

    public ConditionalCliTests(SavedModels models)
    {
        _models = models;
    }

    [Theory]
    [InlineData(null, "conditional INN, density direction", "Features,Condition", "ConditionalInnDensity")]
    [InlineData("density", "conditional INN, density direction", "Features,Condition", "ConditionalInnDensity")]
    [InlineData("sample", "conditional INN, sample direction", "Latent,Condition", "ConditionalInnSampler")]
    public void ExportsAConditionalInn(string? direction, string described, string inputs, string kind)
    {
        using var temp = new TempDirectory();
        var onnx = temp.File("cinn.onnx");
        string[] args = direction is null ? ["export", "--model", _models.Cinn, "--output", onnx] : ["export", "--model", _models.Cinn, "--output", onnx, "--direction", direction];
        var result = CliProcess.Run(args).AssertSuccess();

        Assert.Contains($"{described}, ONNX opset 17)", result.Output, StringComparison.Ordinal);
        using var session = OnnxRun.Open(onnx);
        Assert.Equal(inputs, string.Join(",", session.InputMetadata.Keys));
        Assert.Equal(kind, session.ModelMetadata.CustomMetadataMap["mlnetflows.kind"]);
    }

    [Theory]
    [InlineData(null, "colorization INN, density direction", "Features,Condition", "ImageConditionalInnDensity")]
    [InlineData("sample", "colorization INN, sample direction", "Latent,Condition", "ImageConditionalInnSampler")]
    public void ExportsAColorizationInn(string? direction, string described, string inputs, string kind)
    {
        using var temp = new TempDirectory();
        var onnx = temp.File("colorization.onnx");
        string[] args = direction is null ? ["export", "--model", _models.Colorization, "--output", onnx] : ["export", "--model", _models.Colorization, "--output", onnx, "--direction", direction];
        var result = CliProcess.Run(args).AssertSuccess();

        Assert.Contains($"{described}, ONNX opset 17)", result.Output, StringComparison.Ordinal);
        using var session = OnnxRun.Open(onnx);
        Assert.Equal(inputs, string.Join(",", session.InputMetadata.Keys));
        Assert.Equal(kind, session.ModelMetadata.CustomMetadataMap["mlnetflows.kind"]);
    }

    [Theory]
    [InlineData(null, "InfoGAN code inference, infer direction", "Features", "InfoGanRecognition")]
    [InlineData("infer", "InfoGAN code inference, infer direction", "Features", "InfoGanRecognition")]
    [InlineData("sample", "InfoGAN generator, sample direction", "Noise,Categories,Continuous", "InfoGanGenerator")]
    public void ExportsAnInfoGan(string? direction, string described, string inputs, string kind)
    {
        using var temp = new TempDirectory();
        var onnx = temp.File("infogan.onnx");
        string[] args = direction is null ? ["export", "--model", _models.InfoGan, "--output", onnx] : ["export", "--model", _models.InfoGan, "--output", onnx, "--direction", direction];
        var result = CliProcess.Run(args).AssertSuccess();

        Assert.Contains($"{described}, ONNX opset 17)", result.Output, StringComparison.Ordinal);
        using var session = OnnxRun.Open(onnx);
        Assert.Equal(inputs, string.Join(",", session.InputMetadata.Keys));
        Assert.Equal(kind, session.ModelMetadata.CustomMetadataMap["mlnetflows.kind"]);
    }

    [Fact]
    public void ScoreCinnGivesTheSameCsvOnOnnxRuntimeAsOnLibtorch()
    {
        using var temp = new TempDirectory();
        var onnx = temp.File("cinn.onnx");
        var (torchCsv, onnxCsv) = (temp.File("torch.csv"), temp.File("onnx.csv"));
        CliProcess.Run("export", "--model", _models.Cinn, "--output", onnx).AssertSuccess();
        Assert.Contains("(150 images, libtorch)", CliProcess.Run("score", "cinn", "--model", _models.Cinn, "--limit", "150", "--output", torchCsv, "--threads", "1").AssertSuccess().Output, StringComparison.Ordinal);
        Assert.Contains("(150 images, ONNX Runtime)", CliProcess.Run("score", "cinn", "--engine", "onnx", "--model", onnx, "--limit", "150", "--output", onnxCsv, "--threads", "1").AssertSuccess().Output, StringComparison.Ordinal);

        var torch = File.ReadAllLines(torchCsv);
        var viaOnnx = File.ReadAllLines(onnxCsv);
        Assert.Equal("row,label,log_likelihood,bits_per_dim,predicted_label,posterior", viaOnnx[0]);
        Assert.Equal(151, viaOnnx.Length);
        Assert.Equal(torch.Length, viaOnnx.Length);
        foreach (var (t, o) in torch.Skip(1).Select(l => l.Split(',')).Zip(viaOnnx.Skip(1).Select(l => l.Split(','))))
        {
            Assert.Equal((t[0], t[1], t[4]), (o[0], o[1], o[4]));
            Assert.Equal(Parse(t[2]), Parse(o[2]), 1e-3);
            Assert.Equal(Parse(t[3]), Parse(o[3]), 1e-5);
            Assert.Equal(Parse(t[5]), Parse(o[5]), 1e-3);
        }

        Assert.Contains($"'{_models.Cinn}' is not a loadable ONNX model",
            CliProcess.Run("score", "cinn", "--engine", "onnx", "--model", _models.Cinn, "--limit", "5", "--output", onnxCsv).AssertOneLineFailure(), StringComparison.Ordinal);
        var sampler = temp.File("sampler.onnx");
        CliProcess.Run("export", "--model", _models.Cinn, "--output", sampler, "--direction", "sample").AssertSuccess();
        Assert.Equal($"mlnetflows: error: '{sampler}' is a conditional INN sampler (latent → image), not a density model: export with '--direction density' to score images",
            CliProcess.Run("score", "cinn", "--engine", "onnx", "--model", sampler, "--limit", "5", "--output", onnxCsv).AssertOneLineFailure());
    }

    private static double Parse(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void DirectionsAModelDoesNotHaveAreOneClearLine()
    {
        using var temp = new TempDirectory();
        var onnx = temp.File("x.onnx");

        Assert.Equal($"mlnetflows: error: '{_models.InfoGan}' holds an InfoGAN (it has no density), which has no 'density' direction: use --direction infer (code inference) or sample (generator)",
            CliProcess.Run("export", "--model", _models.InfoGan, "--output", onnx, "--direction", "density").AssertOneLineFailure());
        Assert.Equal($"mlnetflows: error: '{_models.Cinn}' holds a conditional INN, which has no 'infer' direction: use --direction density or sample",
            CliProcess.Run("export", "--model", _models.Cinn, "--output", onnx, "--direction", "infer").AssertOneLineFailure());
        Assert.Equal($"mlnetflows: error: '{_models.Colorization}' holds a colorization INN, which has no 'infer' direction: use --direction density or sample",
            CliProcess.Run("export", "--model", _models.Colorization, "--output", onnx, "--direction", "infer").AssertOneLineFailure());
        Assert.False(File.Exists(onnx));
    }

    /// <summary>A tiny conditional INN, colorization INN and InfoGAN saved as the CLI's model zips.</summary>
    public sealed class SavedModels : IDisposable
    {
        private readonly TempDirectory _directory = new();

        public SavedModels()
        {
            using (var cinn = TinyConditionalModels.Cinn(TinyConditionalModels.CinnVariant.HaarOneHot))
            {
                Cinn = Save(cinn, "cinn.zip");
            }

            using (var colorization = TinyConditionalModels.Colorization(TinyConditionalModels.ColorizationVariant.HaarSixteen))
            {
                Colorization = Save(colorization, "colorization.zip");
            }

            using (var infoGan = TinyConditionalModels.InfoGan([10]))
            {
                InfoGan = Save(infoGan, "infogan.zip");
            }
        }

        public string Cinn { get; }

        public string Colorization { get; }

        public string InfoGan { get; }

        public void Dispose() => _directory.Dispose();

        private string Save(ITransformer model, string name)
        {
            var path = _directory.File(name);
            new MLContext(0).Model.Save(model, null, path);
            return path;
        }
    }
}
