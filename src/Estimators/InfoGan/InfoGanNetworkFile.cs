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

        var model = ModelWeights.Load(reader, () => new InfoGanModel(architecture), device);
        return new InfoGanNetwork(model, device);
    }
}
