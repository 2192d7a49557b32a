using System.Diagnostics;
using MLNetFlows.Torch.Imaging;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.ImageBench;

/// <summary>Writes the benchmark's image files into a folder: Fashion-MNIST PNGs (our encoder) and synthetic JPEGs (Pillow).</summary>
internal static class ImageCorpusWriter
{
    /// <summary>
    /// Pillow writes the JPEGs: the codec of src/Torch has no JPEG encoder, and the benchmark only needs realistic
    /// files (smooth gradients plus noise, quality 90, 4:2:0), not a production encoder. Debian's python3-pil.
    /// </summary>
    private const string JpegScript = """
        import sys, random
        from PIL import Image, ImageFilter
        folder, count, side = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        rng = random.Random(1)
        for i in range(count):
            small = Image.frombytes("RGB", (8, 8), bytes(rng.randrange(256) for _ in range(8 * 8 * 3)))
            image = small.resize((side, side), Image.BICUBIC)
            noise = Image.effect_noise((side, side), 24).convert("RGB")
            image = Image.blend(image, noise, 0.15).filter(ImageFilter.SMOOTH)
            image.save(f"{folder}/{i:05d}.jpg", quality=90)
        """;

    /// <summary>Writes the first <paramref name="count"/> Fashion-MNIST test images as 28 × 28 gray PNGs.</summary>
    public static string[] WriteFashionMnistPngs(string folder, int count)
    {
        (IdxImages images, _) = FashionMnist.LoadRaw(train: false);
        int size = images.PixelsPerImage;
        var names = new string[count];
        Parallel.For(0, count, i =>
        {
            names[i] = $"{i:D5}.png";
            byte[] png = ImageCodec.EncodePng(images.Pixels.Span.Slice(i * size, size), FashionMnist.Width, FashionMnist.Height, channels: 1, compressionLevel: 6);
            File.WriteAllBytes(Path.Combine(folder, names[i]), png);
        });
        return names;
    }

    /// <summary>Writes <paramref name="count"/> RGB JPEGs of <paramref name="side"/> × <paramref name="side"/> with /usr/bin/python3 and Pillow.</summary>
    public static string[] WriteJpegs(string folder, int count, int side)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        foreach (string arg in new[] { "-c", JpegScript, folder, count.ToString(System.Globalization.CultureInfo.InvariantCulture), side.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"/usr/bin/python3 (Pillow) failed to write the JPEGs; install python3-pil. {errors}");
        }

        return [.. Enumerable.Range(0, count).Select(i => $"{i:D5}.jpg")];
    }
}
