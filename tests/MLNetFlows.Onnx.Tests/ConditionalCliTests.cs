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
    public void DirectionsAModelDoesNotHaveAreOneClearLine()
    {
        using var temp = new TempDirectory();
        var onnx = temp.File("x.onnx");

        Assert.Equal($"mlnetflows: error: '{_models.InfoGan}' holds an InfoGAN (it has no density), which has no 'density' direction: use --direction infer (code inference) or sample (generator)",
            CliProcess.Run("export", "--model", _models.InfoGan, "--output", onnx, "--direction", "density").AssertOneLineFailure());
        Assert.Equal($"mlnetflows: error: '{_models.Cinn}' holds a conditional INN, which has no 'infer' direction: use --direction density or sample",
            CliProcess.Run("export", "--model", _models.Cinn, "--output", onnx, "--direction", "infer").AssertOneLineFailure());
        Assert.False(File.Exists(onnx));
    }

    /// <summary>A tiny conditional INN and InfoGAN saved as the CLI's model zips.</summary>
    public sealed class SavedModels : IDisposable
    {
        private readonly TempDirectory _directory = new();

        public SavedModels()
        {
            using (var cinn = TinyConditionalModels.Cinn(TinyConditionalModels.CinnVariant.HaarOneHot))
            {
                Cinn = Save(cinn, "cinn.zip");
            }

            using (var infoGan = TinyConditionalModels.InfoGan([10]))
            {
                InfoGan = Save(infoGan, "infogan.zip");
            }
        }

        public string Cinn { get; }

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
