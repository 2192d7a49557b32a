using System.Globalization;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Cli.Commands.Cinn;

/// <summary>
/// Colorizes whole photographs with a colorization model trained on patches: the image is read as the training patches
/// were cut (<see cref="ColorPatches.ReadPhotograph"/>: downscaled by block averaging to a shorter side of about
/// <see cref="ColorPatches.DefaultShortSide"/>, so objects have the scale the model learned), turned gray (its lightness Y;
/// a gray image stays as it is), cropped to a whole number of patches, and every patch is colorized; the patches are put
/// back side by side.
/// </summary>
internal sealed class ColorizationImages
{
    private readonly ImageConditionalInnTransformer _model;
    private readonly int _patchHeight;
    private readonly int _patchWidth;

    public ColorizationImages(ImageConditionalInnTransformer model, string modelPath)
    {
        if (!model.IsColorization)
        {
            throw new CliFailureException(string.Create(CultureInfo.InvariantCulture,
                $"'{modelPath}' generates {model.ImageShape.Channels} channel(s) given {model.ConditionChannels}, not the 2 chroma channels given the lightness of a colorization model; train one with 'mlnetflows train cinn --colorization wallpapers'"));
        }

        (_model, _patchHeight, _patchWidth) = (model, model.ImageShape.Height, model.ImageShape.Width);
    }

    /// <summary>The gray version of the image at <paramref name="path"/>, cropped to whole patches.</summary>
    public GrayImage ReadGray(string path, string option)
    {
        ColorPhotograph photograph;
        try
        {
            photograph = ColorPatches.ReadPhotograph(path);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new CliFailureException($"{option} '{path}': {e.Message}", e);
        }

        var (rows, columns) = (photograph.Height / _patchHeight, photograph.Width / _patchWidth);
        if (rows == 0 || columns == 0)
        {
            throw new CliFailureException(string.Create(CultureInfo.InvariantCulture,
                $"{option} '{path}' is {photograph.Width}×{photograph.Height} pixels (after downscaling), smaller than the model's {_patchWidth}×{_patchHeight} patches"));
        }

        var luma = YCbCrColor.Luma(photograph.ToPlanarFloats());
        var (width, height) = (columns * _patchWidth, rows * _patchHeight);
        var gray = new float[width * height];
        for (var y = 0; y < height; y++)
        {
            luma.AsSpan(y * photograph.Width, width).CopyTo(gray.AsSpan(y * width));
        }

        return new GrayImage(width, height, gray);
    }

    /// <summary><paramref name="samples"/> colour versions (planar RGB in [0, 255]) of <paramref name="image"/>; sample k uses seed <paramref name="seed"/> + k.</summary>
    public float[][] Colorize(GrayImage image, int samples, double temperature, int seed)
    {
        var (rows, columns) = (image.Height / _patchHeight, image.Width / _patchWidth);
        var patches = new List<float[]>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var patch = new float[_patchHeight * _patchWidth];
                for (var y = 0; y < _patchHeight; y++)
                {
                    image.Gray.AsSpan((((r * _patchHeight) + y) * image.Width) + (c * _patchWidth), _patchWidth).CopyTo(patch.AsSpan(y * _patchWidth));
                }

                patches.Add(patch);
            }
        }

        var results = new float[samples][];
        var plane = image.Width * image.Height;
        var patchPlane = _patchHeight * _patchWidth;
        for (var k = 0; k < samples; k++)
        {
            var colour = _model.Colorize(patches, temperature, unchecked(seed + k)).Pixels;
            var rgb = new float[3 * plane];
            for (var i = 0; i < colour.Count; i++)
            {
                var (r, c) = (i / columns, i % columns);
                for (var channel = 0; channel < 3; channel++)
                {
                    for (var y = 0; y < _patchHeight; y++)
                    {
                        colour[i].AsSpan((channel * patchPlane) + (y * _patchWidth), _patchWidth)
                            .CopyTo(rgb.AsSpan((channel * plane) + ((((r * _patchHeight) + y) * image.Width) + (c * _patchWidth))));
                    }
                }
            }

            results[k] = rgb;
        }

        return results;
    }

    /// <summary>A gray image, row-major values in [0, 255].</summary>
    public sealed record GrayImage(int Width, int Height, float[] Gray);
}
