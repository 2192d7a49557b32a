namespace MLNetFlows.Data;

/// <summary>The pixel layout of an <see cref="MLImage"/>: interleaved 8-bit channels, rows top to bottom.</summary>
public enum MLPixelFormat
{
    /// <summary>One 8-bit luminance channel.</summary>
    Gray8 = 1,

    /// <summary>Three 8-bit channels: red, green, blue.</summary>
    Rgb24 = 3,

    /// <summary>Four 8-bit channels: red, green, blue, alpha.</summary>
    Rgba32 = 4,
}
