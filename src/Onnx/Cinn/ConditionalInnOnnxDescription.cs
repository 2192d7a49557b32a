using System.Globalization;
using MLNetFlows.Models.Cinn;

namespace MLNetFlows.Onnx.Cinn;

/// <summary>
/// What an exported conditional INN file records in its metadata (<c>metadata_props</c>, keys <c>mlnetflows.*</c>):
/// the kind (<c>ConditionalInnDensity</c> or <c>ConditionalInnSampler</c>), the image geometry and bits, the number of
/// classes, the latent size and the feature column.
/// </summary>
internal sealed record ConditionalInnOnnxDescription
{
    public const string DensityKind = "ConditionalInnDensity";
    public const string SamplerKind = "ConditionalInnSampler";

    public required string Kind { get; init; }

    public required ConditionalInnArchitecture Architecture { get; init; }

    public required int Channels { get; init; }

    public required int Height { get; init; }

    public required int Width { get; init; }

    public required int Bits { get; init; }

    public required string FeatureColumnName { get; init; }

    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["mlnetflows.format"] = "1",
        ["mlnetflows.kind"] = Kind,
        ["mlnetflows.channels"] = Channels.ToString(CultureInfo.InvariantCulture),
        ["mlnetflows.height"] = Height.ToString(CultureInfo.InvariantCulture),
        ["mlnetflows.width"] = Width.ToString(CultureInfo.InvariantCulture),
        ["mlnetflows.bits"] = Bits.ToString(CultureInfo.InvariantCulture),
        ["mlnetflows.levels"] = Architecture.Levels.ToString(CultureInfo.InvariantCulture),
        ["mlnetflows.classes"] = Architecture.NumberOfClasses.ToString(CultureInfo.InvariantCulture),
        ["mlnetflows.latentDimensions"] = Architecture.Dimensions.ToString(CultureInfo.InvariantCulture),
        ["mlnetflows.featureColumnName"] = FeatureColumnName,
    };
}
