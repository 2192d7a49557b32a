using MLNetFlows.Data;

namespace MLNetFlows.Transforms.Tests.Image;

/// <summary>Small images with known pixels, and views over them.</summary>
internal static class Images
{
    public static MLImage Gray(int width, int height, params byte[] pixels) => MLImage.CreateFromPixels(width, height, MLPixelFormat.Gray8, pixels);

    public static MLImage Rgb(int width, int height, params byte[] pixels) => MLImage.CreateFromPixels(width, height, MLPixelFormat.Rgb24, pixels);

    public static MLImage Rgba(int width, int height, params byte[] pixels) => MLImage.CreateFromPixels(width, height, MLPixelFormat.Rgba32, pixels);

    public static IDataView View(MLContext ml, params MLImage?[] images) => ml.Data.LoadFromEnumerable(images.Select(i => new AnyImageRow { Image = i! }));

    public static T[] Column<T>(IDataView data, string name)
    {
        DataViewSchema.Column column = data.Schema[name];
        using DataViewRowCursor cursor = data.GetRowCursor([column]);
        ValueGetter<T> get = cursor.GetGetter<T>(column);
        var values = new List<T>();
        while (cursor.MoveNext())
        {
            T value = default!;
            get(ref value);
            values.Add(value);
        }

        return [.. values];
    }

    public static float[][] Floats(IDataView data, string name) => [.. Column<VBuffer<float>>(data, name).Select(v => v.GetValues().ToArray())];

    public static byte[][] Bytes(IDataView data, string name) => [.. Column<VBuffer<byte>>(data, name).Select(v => v.GetValues().ToArray())];

    public sealed class AnyImageRow
    {
        public MLImage Image { get; set; } = null!;
    }

    public sealed class SizedRow
    {
        [ImageType(2, 3)]
        public MLImage Image { get; set; } = null!;
    }

    public sealed class PathRow
    {
        public string Path { get; set; } = string.Empty;
    }

    public sealed class TextImageRow
    {
        public string Image { get; set; } = string.Empty;
    }
}
