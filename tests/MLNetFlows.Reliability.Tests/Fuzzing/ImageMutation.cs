namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>The kinds of damage <see cref="ImageMutator"/> does to a valid PNG or JPEG file.</summary>
public enum ImageMutation
{
    /// <summary>1–8 random bits flipped anywhere (checksums left as they are).</summary>
    BitFlip,

    /// <summary>Bits flipped inside the compressed pixel data with the PNG chunk's CRC recomputed, so the damage reaches the decompressor and decoder.</summary>
    DataFlipChecksummed,

    /// <summary>The file cut at a random length.</summary>
    Truncation,

    /// <summary>A PNG chunk or JPEG segment repeated.</summary>
    ChunkDuplication,

    /// <summary>A header field (PNG IHDR, JPEG SOF: size, depth, colour type, components) set to a random value, checksum kept valid.</summary>
    HeaderField,

    /// <summary>A chunk or segment length field set to a random or extreme value.</summary>
    LengthField,

    /// <summary>The declared size set to a huge one (up to 2^31−1 per side), checksum kept valid: a decompression bomb.</summary>
    BombHeader,
}
