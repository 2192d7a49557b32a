using System.Globalization;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// What an exported class-conditional INN file is, as written in its ONNX metadata (<c>metadata_props</c>, keys
/// <c>mlnetflows.*</c>): the kind (<c>ConditionalInnDensity</c> or <c>ConditionalInnSampler</c>), the image geometry and
/// bits, the levels, classes and latent size, and the feature and label columns. Read back by <see cref="Parse"/>, which
/// names the first missing or bad entry.
/// </summary>
public sealed record ConditionalInnOnnxDescription
{
    /// <summary>The metadata format version this library writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The label column of files exported before the label column was recorded, and of ML.NET's conventions.</summary>
    public const string DefaultLabelColumnName = "Label";

    private const string Prefix = OnnxMetadataReader.Prefix;
    private const string DensityKind = "ConditionalInnDensity";
    private const string SamplerKind = "ConditionalInnSampler";

    /// <summary>What the file computes.</summary>
    public required ConditionalInnOnnxKind Kind { get; init; }

    /// <summary>Image channels.</summary>
    public required int Channels { get; init; }

    /// <summary>Image height (before the model's padding).</summary>
    public required int Height { get; init; }

    /// <summary>Image width (before the model's padding).</summary>
    public required int Width { get; init; }

    /// <summary>Bits per pixel modelled.</summary>
    public required int Bits { get; init; }

    /// <summary>Levels L of the flow.</summary>
    public required int Levels { get; init; }

    /// <summary>Number of classes K (the size of Score and of the Condition input).</summary>
    public required int NumberOfClasses { get; init; }

    /// <summary>Size of the concatenated latent D (the sampler's input).</summary>
    public required long LatentDimensions { get; init; }

    /// <summary>The pixel column (and the density graph's pixel input name).</summary>
    public required string FeatureColumnName { get; init; }

    /// <summary>The label column the model was trained with (read for LogLikelihood and BitsPerDim when present).</summary>
    public string LabelColumnName { get; init; } = DefaultLabelColumnName;

    /// <summary>Pixel values per image, C·H·W.</summary>
    public int ImageDimensions => Channels * Height * Width;

    /// <summary>The metadata entries that describe this file.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Prefix + "format"] = FormatVersion.ToString(CultureInfo.InvariantCulture),
        [Prefix + "kind"] = Kind == ConditionalInnOnnxKind.Sampler ? SamplerKind : DensityKind,
        [Prefix + "channels"] = Channels.ToString(CultureInfo.InvariantCulture),
        [Prefix + "height"] = Height.ToString(CultureInfo.InvariantCulture),
        [Prefix + "width"] = Width.ToString(CultureInfo.InvariantCulture),
        [Prefix + "bits"] = Bits.ToString(CultureInfo.InvariantCulture),
        [Prefix + "levels"] = Levels.ToString(CultureInfo.InvariantCulture),
        [Prefix + "classes"] = NumberOfClasses.ToString(CultureInfo.InvariantCulture),
        [Prefix + "latentDimensions"] = LatentDimensions.ToString(CultureInfo.InvariantCulture),
        [Prefix + "featureColumnName"] = FeatureColumnName,
        [Prefix + "labelColumnName"] = LabelColumnName,
    };

    /// <summary>
    /// Reads the description from a file's metadata; throws an <see cref="InvalidDataException"/> naming the file and the
    /// first missing or bad entry (e.g. for a Glow file or an ONNX file not exported by MLNetFlows).
    /// </summary>
    /// <param name="metadata">The file's custom metadata (ONNX Runtime's <c>ModelMetadata.CustomMetadataMap</c>).</param>
    /// <param name="file">The file, for messages.</param>
    public static ConditionalInnOnnxDescription Parse(IReadOnlyDictionary<string, string> metadata, string file)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var reader = new OnnxMetadataReader(metadata, file, "a conditional INN", "mlnetflows export --model cinn.zip");
        reader.RequireFormat(FormatVersion);

        var kind = reader.Get("kind") switch
        {
            DensityKind => ConditionalInnOnnxKind.Density,
            SamplerKind => ConditionalInnOnnxKind.Sampler,
            var other => throw new InvalidDataException($"'{file}' is not a class-conditional INN: its model kind is '{other}', expected {DensityKind} or {SamplerKind}"),
        };
        return new ConditionalInnOnnxDescription
        {
            Kind = kind,
            Channels = reader.Positive("channels"),
            Height = reader.Positive("height"),
            Width = reader.Positive("width"),
            Bits = reader.Bits(),
            Levels = reader.Positive("levels"),
            NumberOfClasses = reader.Positive("classes") is >= 2 and var classes ? classes : throw new InvalidDataException($"'{file}': '{Prefix}classes' must be at least 2"),
            LatentDimensions = reader.Positive("latentDimensions"),
            FeatureColumnName = reader.Get("featureColumnName"),
            LabelColumnName = reader.GetOrDefault("labelColumnName", DefaultLabelColumnName),
        };
    }
}
