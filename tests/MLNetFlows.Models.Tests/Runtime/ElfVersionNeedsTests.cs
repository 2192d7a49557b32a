using MLNetFlows.Models.Runtime;

namespace MLNetFlows.Models.Tests.Runtime;

public sealed class ElfVersionNeedsTests
{
    private static byte[] TorchSharpLibrary() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"));

    [Fact]
    public void Marks_the_GCC_13_requirement_of_TorchSharp_weak_once_and_changes_nothing_else()
    {
        var original = TorchSharpLibrary();
        var patched = (byte[])original.Clone();

        Assert.Equal(1, ElfVersionNeeds.MarkWeak(patched, LibstdcxxCompatibility.MissingVersion));
        Assert.Equal(0, ElfVersionNeeds.MarkWeak(patched, LibstdcxxCompatibility.MissingVersion));

        var differences = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        var difference = Assert.Single(differences);
        Assert.Equal(original[difference] | 0x2, patched[difference]);
    }

    [Fact]
    public void A_version_the_library_does_not_require_is_left_alone()
    {
        var patched = TorchSharpLibrary();
        Assert.Equal(0, ElfVersionNeeds.MarkWeak(patched, "GLIBCXX_9.9.99"));
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "not an ELF file")]
    [InlineData(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 1 }, "not an ELF file")]
    public void Bytes_that_are_not_an_ELF_file_are_refused(byte[] bytes, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(bytes, "GLIBCXX_3.4.32"));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_32_bit_file_is_refused()
    {
        var bytes = new byte[64];
        bytes[0] = 0x7f;
        bytes[1] = (byte)'E';
        bytes[2] = (byte)'L';
        bytes[3] = (byte)'F';
        bytes[4] = 1;
        bytes[5] = 1;
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(bytes, "GLIBCXX_3.4.32"));
        Assert.Equal("not a 64-bit little-endian ELF file", error.Message);
    }

    [Fact]
    public void A_cut_short_library_is_refused()
    {
        var cut = TorchSharpLibrary()[..4096];
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(cut, "GLIBCXX_3.4.32"));
        Assert.Equal("the ELF file is cut short", error.Message);
    }
}
