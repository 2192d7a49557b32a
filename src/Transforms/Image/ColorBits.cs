namespace MLNetFlows.Transforms.Image;

public sealed partial class ImagePixelExtractingEstimator
{
    /// <summary>The colour channels of a pixel, as flags (the values are persisted: never change them).</summary>
    [Flags]
#pragma warning disable CA1028 // Justified: byte-backed exactly as ML.NET's ImagePixelExtractingEstimator.ColorBits.
    public enum ColorBits : byte
#pragma warning restore CA1028
    {
        /// <summary>The alpha channel (255 for images without one).</summary>
        Alpha = 0x01,

        /// <summary>The red channel.</summary>
        Red = 0x02,

        /// <summary>The green channel.</summary>
        Green = 0x04,

        /// <summary>The blue channel.</summary>
        Blue = 0x08,

        /// <summary>Red, green and blue.</summary>
        Rgb = Red | Green | Blue,

        /// <summary>Alpha, red, green and blue.</summary>
        All = Alpha | Red | Green | Blue,
    }

    /// <summary>
    /// The order of the channels in a vector (the values are persisted: never change them). Only the channels
    /// selected by a <see cref="ColorBits"/> are laid out, in this order: <see cref="ColorBits.Rgb"/> with
    /// <see cref="ABGR"/> gives blue, green, red.
    /// </summary>
#pragma warning disable CA1028, CA1707 // Justified: byte-backed with ML.NET's names (ImagePixelExtractingEstimator.ColorsOrder).
    public enum ColorsOrder : byte
#pragma warning restore CA1028, CA1707
    {
        /// <summary>Alpha, red, green, blue.</summary>
        ARGB = 1,

        /// <summary>Alpha, red, blue, green.</summary>
        ARBG = 2,

        /// <summary>Alpha, blue, red, green.</summary>
        ABRG = 3,

        /// <summary>Alpha, blue, green, red.</summary>
        ABGR = 4,

        /// <summary>Alpha, green, red, blue.</summary>
        AGRB = 5,

        /// <summary>Alpha, green, blue, red.</summary>
        AGBR = 6,
    }
}
