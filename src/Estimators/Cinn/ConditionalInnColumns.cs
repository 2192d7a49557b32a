using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Data;
using MLNetFlows.Estimators.Glow;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>Names and types of the columns the conditional INN reads and adds.</summary>
public static class ConditionalInnColumns
{
    /// <summary>log p(x | c) of the 8-bit image given the row's label, in nats (bin-centre dequantisation).</summary>
    public const string LogLikelihood = "LogLikelihood";

    /// <summary>−log₂ p(x | c) per original pixel given the row's label.</summary>
    public const string BitsPerDim = "BitsPerDim";

    /// <summary>The posterior p(c | x) ∝ p(x | c)·p(c) of every class, as ML.NET's multiclass classifiers name their scores.</summary>
    public const string Score = "Score";

    /// <summary>argmax_c [log p(x | c) + log p(c)] as a key (class k ↔ key value k + 1).</summary>
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>What the label column must be, as error messages say it.</summary>
    /// <param name="classes">Number of classes K.</param>
    public static string ExpectedLabel(int classes) => string.Create(CultureInfo.InvariantCulture,
        $"Key<UInt32, 0-{classes - 1}> (one key per class) or Int32 (class indices 0 … {classes - 1})");

    /// <summary>What a label column must be before the number of classes is known.</summary>
    internal const string ExpectedAnyLabel = "a key of UInt32 (one key per class) or Int32 (class indices from 0)";

    internal static bool IsLabel(DataViewType type, int classes) =>
        type == NumberDataViewType.Int32 || (type is KeyDataViewType { RawType: var raw, Count: var count } && raw == typeof(uint) && (classes == 0 || count == (ulong)classes));

    internal static DataViewSchema.Column RequireLabel(DataViewSchema schema, string name, int classes) =>
        InputColumns.Require(schema, name, t => IsLabel(t, classes), classes > 0 ? ExpectedLabel(classes) : ExpectedAnyLabel);

    internal static SchemaShape.Column RequireLabel(SchemaShape shape, string name, int classes) =>
        InputColumns.Require(shape, name, c => c.Kind == SchemaShape.Column.VectorKind.Scalar && ((c.IsKey && c.ItemType == NumberDataViewType.UInt32) || (!c.IsKey && c.ItemType == NumberDataViewType.Int32)),
            classes > 0 ? ExpectedLabel(classes) : ExpectedAnyLabel);

    internal static DataViewSchema.Column RequireFeatures(DataViewSchema schema, string name, int channels, int height, int width) =>
        GlowColumns.RequireFeatures(schema, name, channels, height, width);

    internal static SchemaShape.Column RequireFeatures(SchemaShape shape, string name, int channels, int height, int width) =>
        GlowColumns.RequireFeatures(shape, name, channels, height, width);

    /// <summary>
    /// The class index of one label value: a key value k + 1 → k, an Int32 k → k; anything else (a missing key 0, an
    /// integer outside 0 … K − 1) is an <see cref="InvalidDataException"/> naming the value and the classes.
    /// </summary>
    internal static int ClassIndex(string column, long value, bool isKey, int classes)
    {
        var index = isKey ? value - 1 : value;
        if (index < 0 || index >= classes)
        {
            throw new InvalidDataException(isKey
                ? string.Create(CultureInfo.InvariantCulture, $"column '{column}' holds the key value {value}, which is not a class of this model: expected key values 1 … {classes} (classes 0 … {classes - 1}); 0 marks a missing label")
                : string.Create(CultureInfo.InvariantCulture, $"column '{column}' holds the class {value}, which is not a class of this model: expected class indices 0 … {classes - 1}"));
        }

        return (int)index;
    }

    /// <summary>The columns added: LogLikelihood and BitsPerDim (when the label column is present), Score, PredictedLabel.</summary>
    internal static IEnumerable<DataViewSchema.DetachedColumn> Added(int classes, bool withLabel)
    {
        if (withLabel)
        {
            yield return new(LogLikelihood, NumberDataViewType.Single);
            yield return new(BitsPerDim, NumberDataViewType.Single);
        }

        yield return new(Score, new VectorDataViewType(NumberDataViewType.Single, classes), ScoreAnnotations("Score"));
        yield return new(PredictedLabel, new KeyDataViewType(typeof(uint), classes), ScoreAnnotations("PredictedLabel"));
    }

    private static DataViewSchema.Annotations ScoreAnnotations(string valueKind)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add("ScoreColumnKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = "MulticlassClassification".AsMemory());
        builder.Add("ScoreValueKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = valueKind.AsMemory());
        return builder.ToAnnotations();
    }
}
