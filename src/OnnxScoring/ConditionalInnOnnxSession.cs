using Microsoft.ML.OnnxRuntime;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// An exported class-conditional INN density file loaded in ONNX Runtime (all graph optimisations on), checked against
/// its metadata: the inputs (pixels [N, C, H, W] named after the feature column, Condition [N, K]) and the outputs with
/// their types and shapes. Scores a batch in one <c>Run</c>; runs are serialised (ONNX Runtime spreads one run over its
/// threads).
/// </summary>
internal sealed class ConditionalInnOnnxSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly Lock _lock = new();

    public ConditionalInnOnnxSession(string modelPath, int? threads)
    {
        _session = OnnxSessions.Open(modelPath, threads, "mlnetflows export --model cinn.zip");
        try
        {
            Description = ConditionalInnOnnxDescription.Parse(_session.ModelMetadata.CustomMetadataMap, modelPath);
            if (Description.Kind == ConditionalInnOnnxKind.Sampler)
            {
                throw new InvalidDataException($"'{modelPath}' is a conditional INN sampler (latent → image), not a density model: export with '--direction density' to score images");
            }

            Check(modelPath);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public ConditionalInnOnnxDescription Description { get; }

    /// <summary>
    /// Runs <paramref name="count"/> images (C·H·W values each) with their one-hot conditions (K values each; zeros when
    /// no output needs them) and returns <paramref name="outputNames"/>' values (float, or int64 for PredictedLabel).
    /// </summary>
    public Array[] Run(float[] pixels, float[] conditions, int count, string[] outputNames)
    {
        var d = Description;
        lock (_lock)
        {
            using var pixelInput = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pixels.AsMemory(0, count * d.ImageDimensions), [count, d.Channels, d.Height, d.Width]);
            using var conditionInput = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, conditions.AsMemory(0, count * d.NumberOfClasses), [count, d.NumberOfClasses]);
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, [d.FeatureColumnName, ConditionalInnOnnxNames.Condition], [pixelInput, conditionInput], outputNames);
            var result = new Array[outputNames.Length];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = outputNames[i] == ConditionalInnOnnxNames.PredictedLabel
                    ? outputs[i].GetTensorDataAsSpan<long>().ToArray()
                    : outputs[i].GetTensorDataAsSpan<float>().ToArray();
            }

            return result;
        }
    }

    public void Dispose() => _session.Dispose();

    private void Check(string modelPath)
    {
        var d = Description;
        OnnxSessions.RequireInputs(_session, modelPath, [d.FeatureColumnName, ConditionalInnOnnxNames.Condition]);
        OnnxSessions.RequireShape(modelPath, d.FeatureColumnName, _session.InputMetadata[d.FeatureColumnName], typeof(float), [d.Channels, d.Height, d.Width]);
        OnnxSessions.RequireShape(modelPath, ConditionalInnOnnxNames.Condition, _session.InputMetadata[ConditionalInnOnnxNames.Condition], typeof(float), [d.NumberOfClasses]);
        foreach (var (name, type, perRow) in new (string, Type, int[])[]
        {
            (ConditionalInnOnnxNames.LogLikelihood, typeof(float), []),
            (ConditionalInnOnnxNames.BitsPerDim, typeof(float), []),
            (ConditionalInnOnnxNames.Score, typeof(float), [d.NumberOfClasses]),
            (ConditionalInnOnnxNames.PredictedLabel, typeof(long), []),
        })
        {
            OnnxSessions.RequireShape(modelPath, name, OnnxSessions.RequireOutput(_session, modelPath, name), type, perRow);
        }
    }
}
