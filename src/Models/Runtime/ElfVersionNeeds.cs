using System.Buffers.Binary;
using System.Text;

namespace MLNetFlows.Models.Runtime;

/// <summary>
/// Edits the symbol-version requirements (the <c>.gnu.version_r</c> section) of a 64-bit little-endian ELF shared
/// library in memory: marking a required version weak makes the dynamic loader accept a library that lacks it, and
/// leaves the symbols themselves to be found wherever they are defined.
/// </summary>
internal static class ElfVersionNeeds
{
    private const uint SectionTypeVersionNeeds = 0x6ffffffe;
    private const ushort VersionFlagWeak = 0x2;

    /// <summary>
    /// Sets the weak flag on every requirement of <paramref name="version"/> and returns how many were changed (0 when
    /// the library does not require it or already marks it weak).
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a 64-bit little-endian ELF file, or are cut short.</exception>
    public static int MarkWeak(byte[] elf, string version)
    {
        var span = elf.AsSpan();
        if (span.Length < 64 || span[0] != 0x7f || span[1] != (byte)'E' || span[2] != (byte)'L' || span[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }

        if (span[4] != 2 || span[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        }

        var sectionTable = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]));
        var sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        var changed = 0;
        for (var i = 0; i < sectionCount; i++)
        {
            var header = Slice(span, sectionTable + (i * sectionSize), 64);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != SectionTypeVersionNeeds)
            {
                continue;
            }

            var offset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]));
            var linkedStrings = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            var stringsHeader = Slice(span, sectionTable + (linkedStrings * sectionSize), 64);
            var strings = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(stringsHeader[0x18..]));
            changed += MarkWeak(span, offset, strings, version);
        }

        return changed;
    }

    private static int MarkWeak(Span<byte> elf, int needs, int strings, string version)
    {
        // Elf64_Verneed { u16 version; u16 count; u32 file; u32 aux; u32 next }
        // Elf64_Vernaux { u32 hash; u16 flags; u16 other; u32 name; u32 next }
        var changed = 0;
        for (var need = needs; ; )
        {
            var entry = Slice(elf, need, 16);
            var count = BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]);
            var auxiliary = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]);
            for (var j = 0; j < count; j++)
            {
                var aux = Slice(elf, auxiliary, 16);
                var flags = BinaryPrimitives.ReadUInt16LittleEndian(aux[4..]);
                var name = ReadString(elf, strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(aux[8..]));
                if (name == version && (flags & VersionFlagWeak) == 0)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(aux[4..], (ushort)(flags | VersionFlagWeak));
                    changed++;
                }

                auxiliary += (int)BinaryPrimitives.ReadUInt32LittleEndian(aux[12..]);
            }

            var next = BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]);
            if (next == 0)
            {
                return changed;
            }

            need += (int)next;
        }
    }

    private static Span<byte> Slice(Span<byte> elf, int offset, int length) =>
        offset >= 0 && offset <= elf.Length && length <= elf.Length - offset ? elf.Slice(offset, length) : throw new InvalidDataException("the ELF file is cut short");

    private static string ReadString(Span<byte> elf, int offset)
    {
        var rest = Slice(elf, offset, elf.Length - offset);
        var end = rest.IndexOf((byte)0);
        return end < 0 ? throw new InvalidDataException("the ELF file is cut short") : Encoding.ASCII.GetString(rest[..end]);
    }
}
