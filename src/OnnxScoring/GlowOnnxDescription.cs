using System.Globalization;

namespace MLNetFlows.OnnxScoring;

/// <summary>
/// What an exported Glow file is, as written in its ONNX metadata (<c>metadata_props</c>, keys
/// <c>mlnetflows.*</c>): the kind, the image geometry and bit depth the model was trained on, the levels and latent
/// size, the feature column, and for detectors the score kind and threshold. Read back by <see cref="Parse"/>, which
/// names the first missing or bad entry.
/// </summary>
public sealed record GlowOnnxDescription
{
    /// <summary>The metadata format version this library writes and reads.</summary>
    public const int FormatVersion = 1;

    private const string Prefix = OnnxMetadataReader.Prefix;

    /// <summary>What the file computes.</summary>
    public required GlowOnnxKind Kind { get; init; }

    /// <summary>Image channels.</summary>
    public required int Channels { get; init; }

    /// <summary>Image height (before the model's padding).</summary>
    public required int Height { get; init; }

    /// <summary>Image width (before the model's padding).</summary>
    public required int Width { get; init; }

    /// <summary>Bits per pixel modelled.</summary>
    public required int Bits { get; init; }

    /// <summary>Levels L (the size of LevelBitsPerDim).</summary>
    public required int Levels { get; init; }

    /// <summary>Size of the concatenated latent D.</summary>
    public required int LatentDimensions { get; init; }

    /// <summary>The pixel column (and the density graph's input name).</summary>
    public required string FeatureColumnName { get; init; }

    /// <summary>Whether the density graph outputs Latent.</summary>
    public bool OutputLatent { get; init; }

    /// <summary>The detector's threshold (Score above it is anomalous), for <see cref="GlowOnnxKind.Anomaly"/>.</summary>
    public float? Threshold { get; init; }

    /// <summary>The detector's score, for <see cref="GlowOnnxKind.Anomaly"/>.</summary>
    public GlowOnnxScoreKind? ScoreKind { get; init; }

    /// <summary>Pixel values per image, C·H·W.</summary>
    public int ImageDimensions => Channels * Height * Width;

    /// <summary>The metadata entries that describe this file.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata()
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Prefix + "format"] = FormatVersion.ToString(CultureInfo.InvariantCulture),
            [Prefix + "kind"] = Kind.ToString(),
            [Prefix + "channels"] = Channels.ToString(CultureInfo.InvariantCulture),
            [Prefix + "height"] = Height.ToString(CultureInfo.InvariantCulture),
            [Prefix + "width"] = Width.ToString(CultureInfo.InvariantCulture),
            [Prefix + "bits"] = Bits.ToString(CultureInfo.InvariantCulture),
            [Prefix + "levels"] = Levels.ToString(CultureInfo.InvariantCulture),
            [Prefix + "latentDimensions"] = LatentDimensions.ToString(CultureInfo.InvariantCulture),
            [Prefix + "featureColumnName"] = FeatureColumnName,
            [Prefix + "outputLatent"] = OutputLatent ? "true" : "false",
        };
        if (Threshold is { } threshold)
        {
            entries[Prefix + "threshold"] = threshold.ToString("R", CultureInfo.InvariantCulture);
        }

        if (ScoreKind is { } scoreKind)
        {
            entries[Prefix + "scoreKind"] = scoreKind.ToString();
        }

        return entries;
    }

    /// <summary>
    /// Reads the description from a file's metadata; throws an <see cref="InvalidDataException"/> naming the file and
    /// the first missing or bad entry (e.g. for an ONNX file not exported by MLNetFlows).
    /// </summary>
    /// <param name="metadata">The file's custom metadata (ONNX Runtime's <c>ModelMetadata.CustomMetadataMap</c>).</param>
    /// <param name="file">The file, for messages.</param>
    public static GlowOnnxDescription Parse(IReadOnlyDictionary<string, string> metadata, string file)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var reader = new OnnxMetadataReader(metadata, file, "a Glow model", "mlnetflows export");
        reader.RequireFormat(FormatVersion);

        var kindText = reader.Get("kind");
        if (!Enum.TryParse<GlowOnnxKind>(kindText, ignoreCase: false, out var kind) || !Enum.IsDefined(kind))
        {
            throw new InvalidDataException($"'{file}': unknown model kind '{kindText}', expected one of {string.Join(", ", Enum.GetNames<GlowOnnxKind>())}");
        }

        float? threshold = null;
        GlowOnnxScoreKind? scoreKind = null;
        if (kind == GlowOnnxKind.Anomaly)
        {
            var scoreText = reader.Get("scoreKind");
            scoreKind = Enum.TryParse<GlowOnnxScoreKind>(scoreText, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new InvalidDataException($"'{file}': unknown score kind '{scoreText}', expected one of {string.Join(", ", Enum.GetNames<GlowOnnxScoreKind>())}");
            threshold = float.TryParse(reader.Get("threshold"), NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && float.IsFinite(t)
                ? t
                : throw new InvalidDataException($"'{file}': the metadata entry '{Prefix}threshold' is '{reader.Get("threshold")}', expected a finite number");
        }

        return new GlowOnnxDescription
        {
            Kind = kind,
            Channels = reader.Positive("channels"),
            Height = reader.Positive("height"),
            Width = reader.Positive("width"),
            Bits = reader.Bits(),
            Levels = reader.Positive("levels"),
            LatentDimensions = reader.Positive("latentDimensions"),
            FeatureColumnName = reader.Get("featureColumnName"),
            OutputLatent = reader.Get("outputLatent") == "true",
            Threshold = threshold,
            ScoreKind = scoreKind,
        };
    }
}
