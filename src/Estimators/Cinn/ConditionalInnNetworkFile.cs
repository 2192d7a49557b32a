using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Glow;
using MLNetFlows.Models.Runtime;
using MLNetFlows.Models.Serialization;
using MLNetFlows.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// Saves and loads a <see cref="ConditionalInnNetwork"/> inside a component of an ML.NET model file. Parameters:
/// <c>cinn.architecture</c> (JSON of <see cref="ConditionalInnArchitecture"/>), <c>cinn.height</c>, <c>cinn.width</c>,
/// <c>cinn.bits</c>, <c>cinn.logPriors</c> (JSON array of log p(c)); entry <see cref="WeightsEntry"/>: the state dict in
/// safetensors (metadata "format" = "pt", "mlnetflows.model" = "cinn"). Loading checks the architecture, geometry, priors
/// and every tensor's name, dtype and shape before any weight is used.
/// </summary>
internal static class ConditionalInnNetworkFile
{
    public const string WeightsEntry = ModelWeights.Entry;

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private static readonly Dictionary<string, string> WeightsMetadata = new() { ["format"] = "pt", ["mlnetflows.model"] = "cinn" };

    public static void Save(ConditionalInnNetwork network, ModelWriter writer)
    {
        writer.Set("cinn.architecture", JsonSerializer.SerializeToNode(network.Architecture, Json)!);
        writer.Set("cinn.height", network.Height);
        writer.Set("cinn.width", network.Width);
        writer.Set("cinn.bits", network.Bits);
        writer.Set("cinn.logPriors", new JsonArray(network.LogPriors.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()));
        writer.AddEntry(WeightsEntry, SafetensorsFile.ToBytes(network.Model.state_dict(), WeightsMetadata));
    }

    public static ConditionalInnNetwork Load(ModelReader reader, Device device)
    {
        var architecture = reader.GetObject<ConditionalInnArchitecture>("cinn.architecture", Json);
        try
        {
            architecture.Validate();
        }
        catch (ArgumentException e)
        {
            throw reader.Error($"parameter 'cinn.architecture' is invalid: {e.Message}");
        }

        if (architecture.Condition != ConditionKind.Class)
        {
            throw reader.Error("parameter 'cinn.architecture' describes an image-conditioned network; this transformer holds class-conditional ones");
        }

        var (height, width, bits) = (reader.GetInt32("cinn.height", 1), reader.GetInt32("cinn.width", 1), reader.GetInt32("cinn.bits", 1, 8));
        // Convolutions do not bound the image size through the weights: a larger architecture input would load and then
        // allocate tensors of that size on every scoring call (1 048 576×28 took 20 GB), so it must be exactly the padded image.
        var (paddedHeight, paddedWidth) = (GlowInput.PaddedSide(height, architecture.Levels), GlowInput.PaddedSide(width, architecture.Levels));
        if (architecture.Height != paddedHeight || architecture.Width != paddedWidth)
        {
            throw reader.Error(string.Create(CultureInfo.InvariantCulture, $"the architecture's input {architecture.Height}×{architecture.Width} is not the image size {height}×{width} padded to a multiple of 2^{architecture.Levels} ({paddedHeight}×{paddedWidth}): the file is corrupt or was altered; save the model again or retrain it"));
        }

        var logPriors = reader.GetObject<double[]>("cinn.logPriors", Json);
        if (logPriors.Length != architecture.NumberOfClasses || logPriors.Any(p => !double.IsFinite(p) || p > 0))
        {
            throw reader.Error($"parameter 'cinn.logPriors' must hold {architecture.NumberOfClasses} finite log-probabilities (≤ 0), got [{string.Join(", ", logPriors.Select(p => p.ToString("R", CultureInfo.InvariantCulture)))}]");
        }

        var model = ModelWeights.Load(reader, MinimumParameters(architecture), () => new ConditionalInnModel(architecture), device);
        return new ConditionalInnNetwork(model, height, width, bits, logPriors, device);
    }

    /// <summary>
    /// A lower bound on the values a <see cref="ConditionalInnModel"/> of <paramref name="architecture"/> holds, from the
    /// architecture alone (saturating at <see cref="long.MaxValue"/>): per coupling block the weights of its two
    /// subnetworks' 3×3 input and 1×1 hidden convolutions and its fixed channel mixing, a class embedding and the class prior's tables. Checked
    /// against the weights entry's size before the model is built.
    /// </summary>
    internal static long MinimumParameters(ConditionalInnArchitecture architecture)
    {
        double channels = architecture.Channels, hidden = architecture.HiddenChannels, condition = architecture.ConditionChannels;
        var total = architecture.Condition == ConditionKind.Class && architecture.ClassEncoding == ClassEncoding.Embedding
            ? (double)architecture.NumberOfClasses * architecture.EmbeddingDimension
            : 0;
        if (architecture.Prior == LatentPrior.ClassGaussian)
        {
            total += 2.0 * architecture.NumberOfClasses * architecture.Dimensions;
        }

        for (var level = 0; level < architecture.Levels; level++)
        {
            channels *= 4;
            var first = Math.Floor(channels / 2);
            total += architecture.BlocksPerLevel * ((9 * hidden * (first + condition)) + (9 * hidden * (channels - first + condition)) + (2 * hidden * hidden) + (channels * channels));
            channels = level < architecture.Levels - 1 ? first : channels;
        }

        return total >= long.MaxValue ? long.MaxValue : (long)total;
    }
}
