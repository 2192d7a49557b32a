namespace MLNetFlows.Transforms.Datasets;

/// <summary>
/// The Fashion-MNIST dataset (Xiao, Rasul &amp; Vollgraf 2017): 60 000 training and 10 000 test 28 × 28 grayscale
/// images of 10 clothing classes, as installed by the Debian package <c>dataset-fashion-mnist</c>.
/// </summary>
public static class FashionMnist
{
    /// <summary>The directory where the Debian package installs the IDX files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The image height, in pixels.</summary>
    public const int Height = 28;

    /// <summary>The image width, in pixels.</summary>
    public const int Width = 28;

    /// <summary>The number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Gets the class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Loads one split as raw bytes: images and their labels (0–9), in the files' order.</summary>
    /// <param name="split">The 60 000-image training split or the 10 000-image test split.</param>
    /// <param name="directory">The directory holding the IDX files (gzip or plain); <see cref="DefaultDirectory"/> when null.</param>
    /// <returns>The images and one label per image.</returns>
    /// <exception cref="FileNotFoundException">The files are missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or images and labels disagree.</exception>
    public static (IdxImages Images, byte[] Labels) LoadRaw(FashionMnistSplit split, string? directory = null)
    {
        if (!Enum.IsDefined(split))
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, $"expected {nameof(FashionMnistSplit)}.{nameof(FashionMnistSplit.Train)} or {nameof(FashionMnistSplit.Test)}, got {split}");
        }

        directory ??= DefaultDirectory;
        string prefix = split == FashionMnistSplit.Train ? "train" : "t10k";
        string imagesPath = Resolve(directory, prefix + "-images-idx3-ubyte");
        string labelsPath = Resolve(directory, prefix + "-labels-idx1-ubyte");
        IdxImages images = IdxFile.ReadImages(imagesPath);
        byte[] labels = IdxFile.ReadLabels(labelsPath);
        if (images.Count != labels.Length)
        {
            throw new InvalidDataException(
                $"Fashion-MNIST split '{prefix}' in '{directory}' is inconsistent: expected as many labels as images ({images.Count}), got {labels.Length}.");
        }

        if (images.Height != Height || images.Width != Width)
        {
            throw new InvalidDataException(
                $"'{imagesPath}' is not Fashion-MNIST: expected {Height} × {Width} images, got {images.Height} × {images.Width}.");
        }

        int bad = Array.FindIndex(labels, l => l >= ClassCount);
        if (bad >= 0)
        {
            throw new InvalidDataException(
                $"'{labelsPath}' is not Fashion-MNIST: expected labels in [0, {ClassCount}), got {labels[bad]} at index {bad}.");
        }

        return (images, labels);
    }

    private static string Resolve(string directory, string baseName)
    {
        string gz = Path.Combine(directory, baseName + ".gz");
        if (File.Exists(gz))
        {
            return gz;
        }

        string plain = Path.Combine(directory, baseName);
        if (File.Exists(plain))
        {
            return plain;
        }

        throw new FileNotFoundException(
            $"Fashion-MNIST file '{gz}' (or '{plain}') does not exist. Install the Debian package 'dataset-fashion-mnist' or pass the directory holding the IDX files.",
            gz);
    }
}
