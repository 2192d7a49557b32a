using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Glow;
using MLNetFlows.Models.Serialization;
using MLNetFlows.Persistence;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// Saves and loads an <see cref="ImageConditionalInnNetwork"/> inside a component of an ML.NET model file. Parameters:
/// <c>cinn.architecture</c> (JSON of <see cref="ConditionalInnArchitecture"/>, condition <c>Image</c>), <c>cinn.height</c>,
/// <c>cinn.width</c>, <c>cinn.bits</c>; entry <see cref="ModelWeights.Entry"/>: the state dict (flow and conditioning
/// network) in safetensors (metadata "format" = "pt", "mlnetflows.model" = "cinn-image"). Loading checks the architecture
/// and geometry, then every tensor's name, dtype and shape before any weight is used.
/// </summary>
internal static class ImageConditionalInnNetworkFile
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private static readonly Dictionary<string, string> WeightsMetadata = new() { ["format"] = "pt", ["mlnetflows.model"] = "cinn-image" };

    public static void Save(ImageConditionalInnNetwork network, ModelWriter writer)
    {
        writer.Set("cinn.architecture", JsonSerializer.SerializeToNode(network.Architecture, Json)!);
        writer.Set("cinn.height", network.Height);
        writer.Set("cinn.width", network.Width);
        writer.Set("cinn.bits", network.Bits);
        writer.AddEntry(ModelWeights.Entry, SafetensorsFile.ToBytes(network.Model.state_dict(), WeightsMetadata));
    }

    public static ImageConditionalInnNetwork Load(ModelReader reader, Device device)
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

        if (architecture.Condition != ConditionKind.Image)
        {
            throw reader.Error("parameter 'cinn.architecture' describes a class-conditional network; this transformer holds image-conditioned ones");
        }

        var (height, width, bits) = (reader.GetInt32("cinn.height", 1), reader.GetInt32("cinn.width", 1), reader.GetInt32("cinn.bits", 1, 8));
        // Convolutions do not bound the image size through the weights: a larger architecture input would load and then
        // allocate tensors of that size on every scoring call (1 048 576×28 took 20 GB), so it must be exactly the padded image.
        var (paddedHeight, paddedWidth) = (GlowInput.PaddedSide(height, architecture.Levels), GlowInput.PaddedSide(width, architecture.Levels));
        if (architecture.Height != paddedHeight || architecture.Width != paddedWidth)
        {
            throw reader.Error(string.Create(CultureInfo.InvariantCulture, $"the architecture's input {architecture.Height}×{architecture.Width} is not the image size {height}×{width} padded to a multiple of 2^{architecture.Levels} ({paddedHeight}×{paddedWidth}): the file is corrupt or was altered; save the model again or retrain it"));
        }

        var model = ModelWeights.Load(reader, ConditionalInnNetworkFile.MinimumParameters(architecture), () => new ConditionalInnModel(architecture), device);
        return new ImageConditionalInnNetwork(model, height, width, bits, device);
    }
}
