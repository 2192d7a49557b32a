using System.CommandLine;
using Microsoft.ML;
using MLNetFlows.OnnxScoring;

namespace MLNetFlows.Cli.Commands.Onnx;

/// <summary>Which runtime <c>mlnetflows score</c> scores with: libtorch through TorchSharp, or ONNX Runtime.</summary>
internal enum ScoringEngine
{
    /// <summary>The model zip, scored by GlowAnomalyTransformer on libtorch.</summary>
    Torch,

    /// <summary>An exported .onnx detector, scored by GlowOnnxTransformer on ONNX Runtime (batched).</summary>
    Onnx,
}

/// <summary>The <c>--engine</c> option and loading the detector for the chosen engine.</summary>
internal static class ScoringEngines
{
    /// <summary>Rows per ONNX Runtime run.</summary>
    private const int OnnxBatchSize = 64;

    public static Option<string> Option()
    {
        var option = new Option<string>("--engine") { Description = "torch (the model zip, on libtorch) or onnx (a file from 'mlnetflows export', on ONNX Runtime).", DefaultValueFactory = _ => "torch" };
        option.AcceptOnlyFromAmong("torch", "onnx");
        return option;
    }

    public static ScoringEngine Parse(string? value) => value == "onnx" ? ScoringEngine.Onnx : ScoringEngine.Torch;

    /// <summary>
    /// The detector to score with and what to dispose afterwards: the model zip for <see cref="ScoringEngine.Torch"/>,
    /// an exported anomaly detector .onnx for <see cref="ScoringEngine.Onnx"/> (on <paramref name="threads"/> threads).
    /// </summary>
    public static (ITransformer Detector, IDisposable Owner) LoadDetector(MLContext ml, string path, ScoringEngine engine, int threads)
    {
        if (engine == ScoringEngine.Torch)
        {
            var detector = ModelFile.LoadDetector(ml, path);
            return (detector, detector);
        }

        var scorer = GlowOnnxTransformer.Load(path, Data.ImageInput.FeaturesColumn, OnnxBatchSize, threads);
        if (scorer.Description.Kind != GlowOnnxKind.Anomaly)
        {
            scorer.Dispose();
            throw new InvalidDataException($"'{path}' is an exported Glow density model without a score: export the anomaly detector ('mlnetflows export --model glow.zip') to score with --engine onnx");
        }

        return (scorer, scorer);
    }
}
