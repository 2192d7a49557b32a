namespace MLNetFlows.Transforms.Datasets;

/// <summary>
/// The columns of the built-in image data sets (<c>mlContext.Data.LoadFashionMnist</c>, <c>LoadMnistDigits</c>).
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Column</term><description>Type and content</description></listheader>
/// <item><term><see cref="Label"/></term><description><c>Key&lt;UInt32, 0-9&gt;</c>: the class as an ML.NET key (the raw class c is the key value c + 1;
/// 0 would mean missing), with the class names as <c>KeyValues</c> annotation, so multiclass trainers and
/// <c>MulticlassClassification.Evaluate</c> take it as is and <c>MapKeyToValue</c> gives the names.</description></item>
/// <item><term><see cref="Features"/></term><description><c>Vector&lt;Single, 1, H, W&gt;</c>: the gray image's pixels 0–255, planar
/// [channel, row, column] — what ImageAnalytics' <c>ExtractPixels(colorsToExtract: ColorBits.Red)</c> gives for a
/// gray image with the default offset 0 and scale 1, so an estimator fed by image files takes these rows unchanged.</description></item>
/// </list>
/// </remarks>
public static class ImageDatasetColumns
{
    /// <summary>The label column: <c>Key&lt;UInt32&gt;</c> over the classes, with their names as key values.</summary>
    public const string Label = "Label";

    /// <summary>The pixel column: <c>Vector&lt;Single, 1, H, W&gt;</c> of values 0–255 (ML.NET's default feature column name).</summary>
    public const string Features = "Features";
}
