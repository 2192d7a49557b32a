using System.Globalization;
using MLNetFlows.Models.Cinn;

namespace MLNetFlows.Onnx.Cinn;

/// <summary>
/// What an exported image-conditioned INN file records in its metadata (<c>metadata_props</c>, keys <c>mlnetflows.*</c>):
/// the kind (<c>ImageConditionalInnDensity</c> or <c>ImageConditionalInnSampler</c>), the image geometry and bits, the
/// condition image's channels, whether it is a colorization model, the latent size and both columns.
/// </summary>
internal sealed record ImageConditionalInnOnnxDescription
{
    public const string DensityKind = "ImageConditionalInnDensity";
    public const string SamplerKind = "ImageConditionalInnSampler";

    public required string Kind { get; init; }

    public required ConditionalInnArchitecture Architecture { get; init; }

    public required int Channels { get; init; }

    public required int Height { get; init; }

    public required int Width { get; init; }

    public required int Bits { get; init; }

    public required bool IsColorization { get; init; }

    public required string FeatureColumnName { get; init; }

    public required string ConditionColumnName { get; init; }

    public int ConditionChannels => Architecture.ConditionImageChannels;

    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["mlnetflows.format"] = "1",
        ["mlnetflows.kind"] = Kind,
        ["mlnetflows.channels"] = Channels.ToString(CultureInfo.InvariantCulture),
        ["mlnetflows.height"] = Height.ToString(CultureInfo.InvariantCulture),
        ["mlnetflows.width"] = Width.ToString(CultureInfo.InvariantCulture),
        ["mlnetflows.bits"] = Bits.ToString(CultureInfo.InvariantCulture),
        ["mlnetflows.levels"] = Architecture.Levels.ToString(CultureInfo.InvariantCulture),
        ["mlnetflows.conditionChannels"] = ConditionChannels.ToString(CultureInfo.InvariantCulture),
        ["mlnetflows.colorization"] = IsColorization ? "true" : "false",
        ["mlnetflows.latentDimensions"] = Architecture.Dimensions.ToString(CultureInfo.InvariantCulture),
        ["mlnetflows.featureColumnName"] = FeatureColumnName,
        ["mlnetflows.conditionColumnName"] = ConditionColumnName,
    };
}
