using Microsoft.ML;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// The schema shape of an image column loaded from a path column. <c>SchemaShape.Column</c> has no public
/// constructor, so the shape comes from ImageAnalytics' own <c>LoadImages</c> estimator, which also checks the
/// path column with ML.NET's own messages ("Schema mismatch for input column …").
/// </summary>
internal static class ImageColumnShape
{
    /// <summary>Returns <paramref name="input"/> with the image column <paramref name="outputColumnName"/> added.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The path column is missing or not a text scalar.</exception>
    public static SchemaShape Add(SchemaShape input, string outputColumnName, string inputColumnName) =>
        new MLContext(seed: 0).Transforms.LoadImages(outputColumnName, imageFolder: null, inputColumnName).GetOutputSchema(input);
}
