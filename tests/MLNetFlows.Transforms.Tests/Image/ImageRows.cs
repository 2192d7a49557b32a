using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFlows.Transforms.Tests.Image;

/// <summary>Path views and readers for the loading tests.</summary>
internal static class ImageRows
{
    public static IDataView Paths(MLContext ml, IEnumerable<string> paths) =>
        ml.Data.LoadFromEnumerable(paths.Select((p, i) => new PathRow { Path = p, Index = i }));

    /// <summary>Each row's image (a fresh variable per row, so the getter disposes none of them) and Index; the caller disposes the images.</summary>
    public static List<(MLImage Image, int Index)> Read(IDataView data, string imageColumn = "Image")
    {
        DataViewSchema.Column image = data.Schema[imageColumn], index = data.Schema["Index"];
        using DataViewRowCursor cursor = data.GetRowCursor([image, index]);
        ValueGetter<MLImage> getImage = cursor.GetGetter<MLImage>(image);
        ValueGetter<int> getIndex = cursor.GetGetter<int>(index);
        var rows = new List<(MLImage, int)>();
        while (cursor.MoveNext())
        {
            MLImage value = null!;
            int i = 0;
            getImage(ref value);
            getIndex(ref i);
            rows.Add((value, i));
        }

        return rows;
    }

    public static void Dispose(IEnumerable<(MLImage Image, int Index)> rows)
    {
        foreach ((MLImage image, _) in rows)
        {
            image.Dispose();
        }
    }

    public sealed class PathRow
    {
        public string Path { get; set; } = string.Empty;

        public int Index { get; set; }
    }
}
