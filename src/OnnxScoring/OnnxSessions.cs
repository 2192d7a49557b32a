using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace MLNetFlows.OnnxScoring;

/// <summary>Opening exported files in ONNX Runtime (all graph optimisations on) and checking their inputs and outputs, with messages that name the file.</summary>
internal static class OnnxSessions
{
    /// <summary>
    /// Opens <paramref name="modelPath"/>; <paramref name="threads"/> sets ONNX Runtime's intra-op threads (null: its
    /// default). A missing file names <paramref name="exportCommand"/>, the command that writes one.
    /// </summary>
    public static InferenceSession Open(string modelPath, int? threads, string exportCommand)
    {
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"ONNX model file '{modelPath}' does not exist; export one with '{exportCommand} --output {modelPath}'", modelPath);
        }

        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (threads is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(t, 1, nameof(threads));
            options.IntraOpNumThreads = t;
            options.InterOpNumThreads = 1;
        }

        try
        {
            return new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"'{modelPath}' is not a loadable ONNX model: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>Checks that the inputs of <paramref name="session"/> are exactly <paramref name="inputs"/> (in any order).</summary>
    public static void RequireInputs(InferenceSession session, string modelPath, IReadOnlyCollection<string> inputs)
    {
        if (!session.InputMetadata.Keys.Order(StringComparer.Ordinal).SequenceEqual(inputs.Order(StringComparer.Ordinal)))
        {
            throw new InvalidDataException($"'{modelPath}' does not match its metadata: expected the input(s) {string.Join(", ", inputs.Select(k => $"'{k}'"))}, found {string.Join(", ", session.InputMetadata.Keys.Select(k => $"'{k}'"))}");
        }
    }

    /// <summary>The output <paramref name="name"/>'s metadata, or an error listing the outputs the file has.</summary>
    public static NodeMetadata RequireOutput(InferenceSession session, string modelPath, string name) =>
        session.OutputMetadata.TryGetValue(name, out var output)
            ? output
            : throw new InvalidDataException($"'{modelPath}' does not match its metadata: the output '{name}' is missing (outputs: {string.Join(", ", session.OutputMetadata.Keys)})");

    /// <summary>Checks an input's or output's element type and shape: a dynamic batch dimension, then <paramref name="perRow"/>.</summary>
    public static void RequireShape(string modelPath, string name, NodeMetadata node, Type elementType, int[] perRow)
    {
        var dims = node.Dimensions;
        var ok = node.ElementType == elementType && dims.Length == perRow.Length + 1 && dims[0] <= 0 && dims.Skip(1).SequenceEqual(perRow);
        if (!ok)
        {
            throw new InvalidDataException($"'{modelPath}': '{name}' is {node.ElementType.Name}[{string.Join(", ", dims.Select(v => v <= 0 ? "N" : v.ToString(CultureInfo.InvariantCulture)))}], expected {elementType.Name}[N{string.Concat(perRow.Select(v => $", {v}"))}] (a dynamic batch dimension first)");
        }
    }
}
