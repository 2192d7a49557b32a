namespace MLNetFlows.Transforms.Image.Decoding;

/// <summary>The two checksums of a PNG file: CRC-32 of each chunk (ISO 3309) and Adler-32 of the zlib stream (RFC 1950).</summary>
internal static class PngChecksums
{
    private const uint Adler32Modulus = 65_521;
    private const int Adler32Block = 5_552;
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>The CRC-32 of <paramref name="bytes"/> (polynomial 0xEDB88320, as PNG stores it).</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFF_FFFF;
        foreach (byte b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFF_FFFF;
    }

    /// <summary>Continues an Adler-32 (start with 1) over <paramref name="bytes"/>.</summary>
    public static uint Adler32(uint adler, ReadOnlySpan<byte> bytes)
    {
        uint a = adler & 0xFFFF, b = adler >> 16;
        while (!bytes.IsEmpty)
        {
            // zlib's NMAX: the sums of 5 552 bytes cannot overflow 32 bits, so one modulo per block suffices.
            ReadOnlySpan<byte> block = bytes[..Math.Min(bytes.Length, Adler32Block)];
            foreach (byte value in block)
            {
                a += value;
                b += a;
            }

            a %= Adler32Modulus;
            b %= Adler32Modulus;
            bytes = bytes[block.Length..];
        }

        return (b << 16) | a;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < table.Length; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
