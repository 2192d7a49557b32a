using System.Globalization;
using MLNetFlows.Estimators.InfoGan;
using MLNetFlows.Onnx.Graph;
using MLNetFlows.Onnx.InfoGan;

namespace MLNetFlows.Onnx;

/// <summary>
/// Exports a fitted InfoGAN (<see cref="InfoGanTransformer"/>) to ONNX (opset <see cref="OnnxOpset.Version"/>): the
/// generator (noise and codes → image) or the code-inference network Q (image → categorical-code probabilities and
/// continuous-code means), every batch normalisation in evaluation mode folded into the layer before it. Categorical
/// codes enter the generator as float32 one-hot rows, side by side (<see cref="InfoGanOnnxNames.Categories"/>).
/// </summary>
public static class InfoGanOnnxExporter
{
    /// <summary>Writes <paramref name="model"/>'s <paramref name="network"/> to <paramref name="output"/>.</summary>
    /// <param name="model">A fitted or loaded InfoGAN.</param>
    /// <param name="output">The stream the ONNX file is written to.</param>
    /// <param name="network">The generator or the recognition network.</param>
    public static void Export(InfoGanTransformer model, Stream output, InfoGanOnnxNetwork network)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(output);
        var weights = new InfoGanWeights(model.Model);
        var a = model.Architecture;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["mlnetflows.format"] = "1",
            ["mlnetflows.kind"] = network == InfoGanOnnxNetwork.Generator ? "InfoGanGenerator" : "InfoGanRecognition",
            ["mlnetflows.channels"] = a.Channels.ToString(CultureInfo.InvariantCulture),
            ["mlnetflows.height"] = a.Height.ToString(CultureInfo.InvariantCulture),
            ["mlnetflows.width"] = a.Width.ToString(CultureInfo.InvariantCulture),
            ["mlnetflows.noiseSize"] = a.NoiseSize.ToString(CultureInfo.InvariantCulture),
            ["mlnetflows.categoryCounts"] = string.Join(",", a.CategoryCounts.Select(k => k.ToString(CultureInfo.InvariantCulture))),
            ["mlnetflows.continuousCodes"] = a.ContinuousCodes.ToString(CultureInfo.InvariantCulture),
            ["mlnetflows.featureColumnName"] = model.FeatureColumnName,
        };
        var proto = network switch
        {
            InfoGanOnnxNetwork.Generator => InfoGanGeneratorGraph.Build(weights, metadata),
            InfoGanOnnxNetwork.Recognition => InfoGanRecognitionGraph.Build(weights, model.FeatureColumnName, metadata),
            _ => throw new ArgumentOutOfRangeException(nameof(network), network, "expected Generator or Recognition"),
        };
        OnnxFile.Write(proto, output);
    }

    /// <summary>Exports to a file, written whole or not at all (a temporary file renamed into place).</summary>
    /// <param name="model">A fitted or loaded InfoGAN.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="network">The generator or the recognition network.</param>
    public static void Export(InfoGanTransformer model, string path, InfoGanOnnxNetwork network)
    {
        ArgumentNullException.ThrowIfNull(model);
        OnnxFile.Write(path, stream => Export(model, stream, network));
    }
}
