using Microsoft.ML.OnnxRuntime;
using MLNetFlows.OnnxScoring;

namespace MLNetFlows.Onnx.Tests;

/// <summary>Runs exported files directly in ONNX Runtime, with every graph optimisation on.</summary>
internal static class OnnxRun
{
    public static InferenceSession Open(string path) =>
        new(path, new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1 });

    /// <summary>The sampler's Image and Pixels outputs for <paramref name="count"/> latents.</summary>
    public static (float[] Image, float[] Pixels) Sampler(string path, float[] latents, int count, int dimensions)
    {
        using var session = Open(path);
        using var input = OrtValue.CreateTensorValueFromMemory(latents, [count, dimensions]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [GlowOnnxNames.Latent], [input], [GlowOnnxNames.Image, GlowOnnxNames.Pixels]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }
}
