using Microsoft.ML.OnnxRuntime;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// An exported Glow density or anomaly file loaded in ONNX Runtime (all graph optimisations on), checked against its
/// metadata: one float input [N, C, H, W] named after the feature column, the outputs its kind promises with their
/// shapes. Scores a batch in one <c>Run</c>; runs are serialised (ONNX Runtime spreads one run over its threads).
/// </summary>
internal sealed class GlowOnnxSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly Lock _lock = new();
    private readonly string[] _outputNames;

    public GlowOnnxSession(string modelPath, int? threads)
    {
        _session = OnnxSessions.Open(modelPath, threads, "mlnetflows export --model glow.zip");
        try
        {
            Description = GlowOnnxDescription.Parse(_session.ModelMetadata.CustomMetadataMap, modelPath);
            if (Description.Kind == GlowOnnxKind.Sampler)
            {
                throw new InvalidDataException($"'{modelPath}' is a Glow sampler (latent → image), not a density model or detector: export with '--direction density' to score images");
            }

            _outputNames = ExpectedOutputs(Description).Select(o => o.Name).ToArray();
            Check(modelPath);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public GlowOnnxDescription Description { get; }

    /// <summary>The outputs a file of this description has, with their per-row sizes (1 for [N]).</summary>
    public static IEnumerable<(string Name, int Size)> ExpectedOutputs(GlowOnnxDescription description)
    {
        yield return (GlowOnnxNames.LogLikelihood, 1);
        yield return (GlowOnnxNames.BitsPerDim, 1);
        yield return (GlowOnnxNames.LevelBitsPerDim, description.Levels);
        if (description.OutputLatent)
        {
            yield return (GlowOnnxNames.Latent, description.LatentDimensions);
        }

        if (description.Kind == GlowOnnxKind.Anomaly)
        {
            yield return (GlowOnnxNames.Score, 1);
            yield return (GlowOnnxNames.PredictedLabel, 1);
        }
    }

    /// <summary>Whether the graph takes the PNG bits/dim as a second input (complexity-corrected detectors).</summary>
    public bool TakesComplexity => Description.ScoreKind == GlowOnnxScoreKind.ComplexityCorrected;

    /// <summary>
    /// Runs <paramref name="count"/> images (C·H·W values each; with <paramref name="complexity"/>, their PNG bits/dim,
    /// when <see cref="TakesComplexity"/>) and returns the outputs by name.
    /// </summary>
    public IReadOnlyDictionary<string, Array> Run(float[] pixels, int count, float[]? complexity)
    {
        var d = Description;
        long[] shape = [count, d.Channels, d.Height, d.Width];
        lock (_lock)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pixels.AsMemory(0, count * d.ImageDimensions), shape);
            using var complexityInput = TakesComplexity
                ? OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, complexity!.AsMemory(0, count), [count, 1])
                : null;
            using var runOptions = new RunOptions();
            using var outputs = complexityInput is null
                ? _session.Run(runOptions, [d.FeatureColumnName], [input], _outputNames)
                : _session.Run(runOptions, [d.FeatureColumnName, GlowOnnxNames.ComplexityBitsPerDim], [input, complexityInput], _outputNames);
            var result = new Dictionary<string, Array>(StringComparer.Ordinal);
            for (var i = 0; i < outputs.Count; i++)
            {
                result[_outputNames[i]] = _outputNames[i] == GlowOnnxNames.PredictedLabel
                    ? outputs[i].GetTensorDataAsSpan<bool>().ToArray()
                    : outputs[i].GetTensorDataAsSpan<float>().ToArray();
            }

            return result;
        }
    }

    public void Dispose() => _session.Dispose();

    private void Check(string modelPath)
    {
        var d = Description;
        string[] inputs = TakesComplexity ? [d.FeatureColumnName, GlowOnnxNames.ComplexityBitsPerDim] : [d.FeatureColumnName];
        OnnxSessions.RequireInputs(_session, modelPath, inputs);
        OnnxSessions.RequireShape(modelPath, d.FeatureColumnName, _session.InputMetadata[d.FeatureColumnName], typeof(float), [d.Channels, d.Height, d.Width]);
        if (TakesComplexity)
        {
            OnnxSessions.RequireShape(modelPath, GlowOnnxNames.ComplexityBitsPerDim, _session.InputMetadata[GlowOnnxNames.ComplexityBitsPerDim], typeof(float), [1]);
        }

        foreach (var (name, size) in ExpectedOutputs(d))
        {
            OnnxSessions.RequireShape(modelPath, name, OnnxSessions.RequireOutput(_session, modelPath, name), name == GlowOnnxNames.PredictedLabel ? typeof(bool) : typeof(float), size == 1 && name != GlowOnnxNames.LevelBitsPerDim ? [] : [size]);
        }
    }
}
