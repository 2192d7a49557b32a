using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Models.Glow;
using MLNetFlows.Models.Runtime;
using MLNetFlows.Models.Serialization;
using MLNetFlows.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Glow;

/// <summary>
/// Saves and loads a <see cref="GlowNetwork"/> inside a component of an ML.NET model file. Parameters:
/// <c>glow.architecture</c> (the <see cref="GlowArchitecture"/> as JSON), <c>glow.channels</c>, <c>glow.height</c>,
/// <c>glow.width</c>, <c>glow.bits</c>; entry <see cref="WeightsEntry"/>: the model's state dict in safetensors (the
/// names of <see cref="GlowModel"/>, metadata "format" = "pt" and "mlnetflows.model" = "glow", readable from Python;
/// codec: <see cref="SafetensorsFile"/>). Loading checks the architecture, the geometry, the file and every tensor's
/// name, dtype and shape before any weight is used.
/// </summary>
internal static class GlowNetworkFile
{
    /// <summary>The weights entry.</summary>
    public const string WeightsEntry = ModelWeights.Entry;

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private static readonly Dictionary<string, string> WeightsMetadata = new() { ["format"] = "pt", ["mlnetflows.model"] = "glow" };

    /// <summary>Writes the network's settings and weights.</summary>
    public static void Save(GlowNetwork network, ModelWriter writer)
    {
        writer.Set("glow.architecture", JsonSerializer.SerializeToNode(network.Architecture, Json)!);
        writer.Set("glow.channels", network.Channels);
        writer.Set("glow.height", network.Height);
        writer.Set("glow.width", network.Width);
        writer.Set("glow.bits", network.Bits);
        writer.AddEntry(WeightsEntry, SafetensorsFile.ToBytes(network.Model.state_dict(), WeightsMetadata));
    }

    /// <summary>Reads and validates a network written by <see cref="Save"/>; problems become <see cref="ModelFormatException"/>s.</summary>
    public static GlowNetwork Load(ModelReader reader, Device device)
    {
        var architecture = reader.GetObject<GlowArchitecture>("glow.architecture", Json);
        try
        {
            architecture.Validate();
        }
        catch (ArgumentException e)
        {
            throw reader.Error($"parameter 'glow.architecture' is invalid: {e.Message}");
        }

        var (channels, height, width, bits) = (reader.GetInt32("glow.channels", 1), reader.GetInt32("glow.height", 1), reader.GetInt32("glow.width", 1), reader.GetInt32("glow.bits", 1, 8));
        if (channels != architecture.Channels || height > architecture.Height || width > architecture.Width)
        {
            throw reader.Error(string.Create(CultureInfo.InvariantCulture, $"the image geometry {channels}×{height}×{width} does not fit the architecture's input {architecture.Channels}×{architecture.Height}×{architecture.Width}"));
        }

        var model = ModelWeights.Load(reader, MinimumParameters(architecture), () => new GlowModel(architecture), device);
        return new GlowNetwork(model, channels, height, width, bits, device);
    }

    /// <summary>
    /// A lower bound on the values a <see cref="GlowModel"/> of <paramref name="architecture"/> holds, from the
    /// architecture alone (saturating at <see cref="long.MaxValue"/>): per step the 1×1 convolution's off-diagonal
    /// entries and the coupling network's three convolution weights, per split prior its convolution weight, and the top
    /// prior. Checked against the weights entry's size before the model is built.
    /// </summary>
    internal static long MinimumParameters(GlowArchitecture architecture)
    {
        double channels = architecture.Channels, hidden = architecture.HiddenChannels, total = 0;
        for (var level = 0; level < architecture.Levels; level++)
        {
            channels *= 4;
            var half = Math.Floor(channels / 2);
            total += architecture.StepsPerLevel * ((channels * (channels - 1)) + (9 * hidden * half) + (hidden * hidden) + (9 * hidden * half));
            if (level < architecture.Levels - 1)
            {
                total += 9 * half * channels;
                channels = half;
            }
        }

        total += 2 * channels * Math.Floor(architecture.Height / Math.Pow(2, architecture.Levels)) * Math.Floor(architecture.Width / Math.Pow(2, architecture.Levels));
        return total >= long.MaxValue ? long.MaxValue : (long)total;
    }
}
