using MLNetFlows.Transforms.Datasets;
using TorchSharp;

namespace MLNetFlows.Trainers.Tests;

/// <summary>
/// The first images of Fashion-MNIST (Debian's dataset-fashion-mnist, read by <see cref="FashionMnist.LoadRaw"/>) as
/// UInt8 tensors [N, 1, 28, 28]: these tests need pixels, not ML.NET's data views. Each split is read once per run.
/// </summary>
internal static class FashionMnistPixels
{
    private static readonly Dictionary<FashionMnistSplit, IdxImages> Cache = [];

    /// <summary>The first <paramref name="count"/> training (or test) images; the caller disposes the tensor.</summary>
    public static torch.Tensor Load(int count, bool train = true)
    {
        var images = Images(train ? FashionMnistSplit.Train : FashionMnistSplit.Test);
        if (count > images.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"the split has only {images.Count} images");
        }

        return torch.tensor(images.Pixels[..(count * images.PixelsPerImage)].ToArray(), [count, 1, images.Height, images.Width]);
    }

    private static IdxImages Images(FashionMnistSplit split)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(split, out var images))
            {
                images = FashionMnist.LoadRaw(split).Images;
                Cache[split] = images;
            }

            return images;
        }
    }
}
