using System.Text.Json;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Models.InfoGan;
using MLNetFlows.Models.Runtime;
using MLNetFlows.Models.Serialization;
using MLNetFlows.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.InfoGan;

/// <summary>
/// Saves and loads an <see cref="InfoGanNetwork"/> inside a component of an ML.NET model file. Parameter
/// <c>infogan.architecture</c> (the <see cref="InfoGanArchitecture"/> as JSON); entry <see cref="WeightsEntry"/>: the
/// model's state dict in safetensors (the names of <see cref="InfoGanModel"/>, metadata "format" = "pt" and
/// "mlnetflows.model" = "infogan", readable from Python; codec: <see cref="SafetensorsFile"/>). Loading checks the
/// architecture, the file and every tensor's name, dtype and shape before any weight is used.
/// </summary>
internal static class InfoGanNetworkFile
{
    /// <summary>The weights entry.</summary>
    public const string WeightsEntry = ModelWeights.Entry;

    private static readonly JsonSerializerOptions Json = new();

    private static readonly Dictionary<string, string> WeightsMetadata = new() { ["format"] = "pt", ["mlnetflows.model"] = "infogan" };

    /// <summary>Writes the network's architecture and weights.</summary>
    public static void Save(InfoGanNetwork network, ModelWriter writer)
    {
        writer.Set("infogan.architecture", JsonSerializer.SerializeToNode(network.Architecture, Json)!);
        writer.AddEntry(WeightsEntry, SafetensorsFile.ToBytes(network.Model.state_dict(), WeightsMetadata));
    }

    /// <summary>Reads and validates a network written by <see cref="Save"/>; problems become <see cref="ModelFormatException"/>s.</summary>
    public static InfoGanNetwork Load(ModelReader reader, Device device)
    {
        var architecture = reader.GetObject<InfoGanArchitecture>("infogan.architecture", Json);
        try
        {
            architecture.Validate();
        }
        catch (ArgumentException e)
        {
            throw reader.Error($"parameter 'infogan.architecture' is invalid: {e.Message}");
        }

        var model = ModelWeights.Load(reader, MinimumParameters(architecture), () => new InfoGanModel(architecture), device);
        return new InfoGanNetwork(model, device);
    }

    /// <summary>
    /// A lower bound on the values an <see cref="InfoGanModel"/> of <paramref name="architecture"/> holds, from the
    /// architecture alone (saturating at <see cref="long.MaxValue"/>): the weights of the generator's and the
    /// discriminator's linear layers and 4×4 (up-)convolutions. Checked against the weights entry's size before the model is built.
    /// </summary>
    internal static long MinimumParameters(InfoGanArchitecture architecture)
    {
        double hidden = architecture.HiddenUnits, recognition = architecture.RecognitionUnits, channels = architecture.Channels, convolution = architecture.ConvolutionChannels;
        var wideMap = 2.0 * convolution * Math.Floor(architecture.Height / 4.0) * Math.Floor(architecture.Width / 4.0);
        var codes = (double)architecture.CategoryCounts.Sum(c => (long)c) + architecture.ContinuousCodes;
        var kernel = (double)(InfoGanLayers.Kernel * InfoGanLayers.Kernel);
        var total = ((architecture.NoiseSize + codes) * hidden) + (hidden * wideMap) // generator fc1, fc2
            + (kernel * ((2 * convolution * convolution) + (convolution * channels))) // generator deconv1, deconv2
            + (kernel * ((channels * convolution) + (2 * convolution * convolution))) // discriminator conv1, conv2
            + (wideMap * hidden) + hidden + (hidden * recognition) + (recognition * codes); // discriminator fc3, d_out, q_fc, q_out
        return total >= long.MaxValue ? long.MaxValue : (long)total;
    }
}
