using MLNetFlows.Transforms.Image;
using static MLNetFlows.Transforms.Image.ImagePixelExtractingEstimator;

namespace MLNetFlows;

/// <summary>
/// Image transforms of <c>mlContext.Transforms</c>, with ML.NET's names, parameter order and defaults:
/// <c>LoadImages → ResizeImages / ConvertToGrayscale → ExtractPixels</c>, and <c>ConvertToImage</c> back.
/// Mind ML.NET's argument orders: <c>ResizeImages</c> takes width then height, <c>ConvertToImage</c> height then width.
/// </summary>
public static class ImageEstimatorsCatalog
{
    /// <summary>
    /// Loads the PNG or JPEG files named in <paramref name="inputColumnName"/> into an image column of any size.
    /// A file that cannot be loaded leaves the row's image missing, counted and logged (see
    /// <see cref="ImageLoadingEstimator.BadImageHandling.MarkMissing"/>); the <see cref="ImageLoadingEstimator.Options"/>
    /// overload can fail instead, and sets the decompression-bomb limit and the decoding parallelism.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The image column to create.</param>
    /// <param name="imageFolder">The folder relative paths are resolved against; null to use paths as they are.</param>
    /// <param name="inputColumnName">The text column of paths; null for <paramref name="outputColumnName"/>.</param>
    /// <returns>The estimator.</returns>
    public static ImageLoadingEstimator LoadImages(this TransformsCatalog catalog, string outputColumnName, string? imageFolder, string? inputColumnName = null) =>
        LoadImages(catalog, new ImageLoadingEstimator.Options { OutputColumnName = outputColumnName, ImageFolder = imageFolder, InputColumnName = inputColumnName });

    /// <summary>Loads image files as <paramref name="options"/> say.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The settings.</param>
    /// <returns>The estimator.</returns>
    public static ImageLoadingEstimator LoadImages(this TransformsCatalog catalog, ImageLoadingEstimator.Options options)
    {
        Guard.NotNull(catalog);
        return new ImageLoadingEstimator(new ImageLoadingTransformer(catalog.Context, Guard.NotNull(options)));
    }

    /// <summary>Resizes images to <paramref name="imageWidth"/> × <paramref name="imageHeight"/> with a bilinear filter.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The image column to create, of type <c>Image&lt;imageHeight, imageWidth&gt;</c>.</param>
    /// <param name="imageWidth">The output width (first, as in ML.NET).</param>
    /// <param name="imageHeight">The output height.</param>
    /// <param name="inputColumnName">The image column; null for <paramref name="outputColumnName"/>.</param>
    /// <param name="resizing">How the image is fitted.</param>
    /// <param name="cropAnchor">Which part <see cref="ImageResizingEstimator.ResizingKind.IsoCrop"/> keeps.</param>
    /// <returns>The estimator.</returns>
    public static ImageResizingEstimator ResizeImages(
        this TransformsCatalog catalog,
        string outputColumnName,
        int imageWidth,
        int imageHeight,
        string? inputColumnName = null,
        ImageResizingEstimator.ResizingKind resizing = ImageResizingEstimator.Defaults.Resizing,
        ImageResizingEstimator.Anchor cropAnchor = ImageResizingEstimator.Defaults.CropAnchor)
    {
        Guard.NotNull(catalog);
        return new ImageResizingEstimator(new ImageResizingTransformer(outputColumnName, imageWidth, imageHeight, inputColumnName, resizing, cropAnchor));
    }

    /// <summary>Converts images to gray (ML.NET's weights 0.3, 0.59, 0.11; opaque).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The image column to create.</param>
    /// <param name="inputColumnName">The image column; null for <paramref name="outputColumnName"/>.</param>
    /// <returns>The estimator.</returns>
    public static ImageGrayscalingEstimator ConvertToGrayscale(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null)
    {
        Guard.NotNull(catalog);
        return new ImageGrayscalingEstimator(new ImageGrayscalingTransformer(outputColumnName, inputColumnName));
    }

    /// <summary>Extracts the pixels of images of known size into a vector of <c>(pixel − offsetImage) · scaleImage</c>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The vector column to create: [planes, height, width], or [height, width, planes] when interleaved.</param>
    /// <param name="inputColumnName">The image column (of known size); null for <paramref name="outputColumnName"/>.</param>
    /// <param name="colorsToExtract">The channels to extract.</param>
    /// <param name="orderOfExtraction">The order of the channels.</param>
    /// <param name="interleavePixelColors">True for [height, width, planes]; false (default) for planar [planes, height, width].</param>
    /// <param name="offsetImage">Subtracted from each pixel value first.</param>
    /// <param name="scaleImage">Multiplies the result.</param>
    /// <param name="outputAsFloatArray">True for Single values; false for the bytes (then offset and scale must be 0 and 1).</param>
    /// <returns>The estimator.</returns>
    public static ImagePixelExtractingEstimator ExtractPixels(
        this TransformsCatalog catalog,
        string outputColumnName,
        string? inputColumnName = null,
        ColorBits colorsToExtract = ImagePixelExtractingEstimator.Defaults.Colors,
        ColorsOrder orderOfExtraction = ImagePixelExtractingEstimator.Defaults.Order,
        bool interleavePixelColors = ImagePixelExtractingEstimator.Defaults.Interleave,
        float offsetImage = ImagePixelExtractingEstimator.Defaults.Offset,
        float scaleImage = ImagePixelExtractingEstimator.Defaults.Scale,
        bool outputAsFloatArray = ImagePixelExtractingEstimator.Defaults.Convert)
    {
        Guard.NotNull(catalog);
        return new ImagePixelExtractingEstimator(new ImagePixelExtractingTransformer(
            outputColumnName, inputColumnName, colorsToExtract, orderOfExtraction, interleavePixelColors, offsetImage, scaleImage, outputAsFloatArray));
    }

    /// <summary>Converts pixel vectors to images of <paramref name="imageHeight"/> × <paramref name="imageWidth"/>: each value becomes <c>round(value · scaleImage − offsetImage)</c>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="imageHeight">The image height (first, as in ML.NET).</param>
    /// <param name="imageWidth">The image width.</param>
    /// <param name="outputColumnName">The image column to create.</param>
    /// <param name="inputColumnName">The vector column; null for <paramref name="outputColumnName"/>.</param>
    /// <param name="colorsPresent">The channels the vectors hold.</param>
    /// <param name="orderOfColors">The order of the channels.</param>
    /// <param name="interleavedColors">True when the channels of a pixel are adjacent.</param>
    /// <param name="scaleImage">Multiplies each value first.</param>
    /// <param name="offsetImage">Subtracted after scaling.</param>
    /// <param name="defaultAlpha">The alpha when the vectors hold none.</param>
    /// <param name="defaultRed">The red when the vectors hold none.</param>
    /// <param name="defaultGreen">The green when the vectors hold none.</param>
    /// <param name="defaultBlue">The blue when the vectors hold none.</param>
    /// <returns>The estimator.</returns>
    public static VectorToImageConvertingEstimator ConvertToImage(
        this TransformsCatalog catalog,
        int imageHeight,
        int imageWidth,
        string outputColumnName,
        string? inputColumnName = null,
        ColorBits colorsPresent = ImagePixelExtractingEstimator.Defaults.Colors,
        ColorsOrder orderOfColors = ImagePixelExtractingEstimator.Defaults.Order,
        bool interleavedColors = ImagePixelExtractingEstimator.Defaults.Interleave,
        float scaleImage = VectorToImageConvertingEstimator.Defaults.Scale,
        float offsetImage = VectorToImageConvertingEstimator.Defaults.Offset,
        int defaultAlpha = VectorToImageConvertingEstimator.Defaults.DefaultAlpha,
        int defaultRed = VectorToImageConvertingEstimator.Defaults.DefaultRed,
        int defaultGreen = VectorToImageConvertingEstimator.Defaults.DefaultGreen,
        int defaultBlue = VectorToImageConvertingEstimator.Defaults.DefaultBlue)
    {
        Guard.NotNull(catalog);
        return new VectorToImageConvertingEstimator(new VectorToImageConvertingTransformer(
            imageHeight, imageWidth, outputColumnName, inputColumnName, colorsPresent, orderOfColors, interleavedColors, scaleImage, offsetImage,
            [defaultAlpha, defaultRed, defaultGreen, defaultBlue]));
    }
}
