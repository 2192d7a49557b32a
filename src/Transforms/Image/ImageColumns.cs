using MLNetFlows.Data;

namespace MLNetFlows.Transforms.Image;

/// <summary>Input column checks shared by the image transforms, on schemas and on schema shapes.</summary>
internal static class ImageColumns
{
    public const string AnyImage = "an image (Image)";

    public const string KnownSizeImage = "an image of known size (Image<height, width>, e.g. after ResizeImages)";

    public static DataViewSchema.Column RequireImage(DataViewSchema schema, string name) =>
        InputColumns.Require(schema, name, t => t is ImageDataViewType, AnyImage);

    public static DataViewSchema.Column RequireKnownSizeImage(DataViewSchema schema, string name) =>
        InputColumns.Require(schema, name, t => t is ImageDataViewType { Height: > 0 }, KnownSizeImage);

    public static SchemaShape.Column RequireImage(SchemaShape shape, string name) =>
        InputColumns.Require(shape, name, c => c.Kind == SchemaShape.Column.VectorKind.Scalar && c.ItemType is ImageDataViewType, AnyImage);

    public static SchemaShape.Column RequireKnownSizeImage(SchemaShape shape, string name) =>
        InputColumns.Require(shape, name, c => c.Kind == SchemaShape.Column.VectorKind.Scalar && c.ItemType is ImageDataViewType { Height: > 0 }, KnownSizeImage);

    /// <summary>The shape of an added image column.</summary>
    public static SchemaShape.Column ImageShape(string name, ImageDataViewType type) =>
        new(name, SchemaShape.Column.VectorKind.Scalar, type, isKey: false);

    /// <summary>Returns <paramref name="shape"/> with <paramref name="added"/> appended (replacing a column of the same name).</summary>
    public static SchemaShape With(SchemaShape shape, SchemaShape.Column added) => new([.. shape, added]);
}
