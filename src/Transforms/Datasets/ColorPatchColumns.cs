namespace MLNetFlows.Transforms.Datasets;

/// <summary>
/// The columns of the colour patch data sets (<c>mlContext.Data.LoadWallpaperPatches</c>, <c>LoadColorPatches</c>),
/// laid out for colorization with the conditional INN: x = the chroma, condition = the lightness (<see cref="YCbCrColor"/>).
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Column</term><description>Type and content</description></listheader>
/// <item><term><see cref="Condition"/></term><description><c>Vector&lt;Single, 1, S, S&gt;</c>: the lightness Y in [0, 255] — the gray photograph.</description></item>
/// <item><term><see cref="Features"/></term><description><c>Vector&lt;Single, 2, S, S&gt;</c>: the chroma Cb, Cr in [0, 255] (127.5 = gray).</description></item>
/// <item><term><see cref="Color"/></term><description><c>Vector&lt;Single, 3, S, S&gt;</c>: the patch's RGB pixels 0–255, planar, as <c>ExtractPixels</c> gives them.</description></item>
/// <item><term><see cref="Photograph"/></term><description><c>String</c>: the photograph the patch was cut from.</description></item>
/// </list>
/// </remarks>
public static class ColorPatchColumns
{
    /// <summary>The lightness column, the condition of colorization.</summary>
    public const string Condition = "Condition";

    /// <summary>The chroma column, what the conditional INN models (ML.NET's default feature column name).</summary>
    public const string Features = "Features";

    /// <summary>The RGB column, the ground truth.</summary>
    public const string Color = "Color";

    /// <summary>The source photograph's name.</summary>
    public const string Photograph = "Photograph";
}
