namespace MLNetFlows.Reliability.Tests.Fuzzing;

/// <summary>The kinds of damage <see cref="ModelMutator"/> does to a saved model zip.</summary>
public enum ModelMutation
{
    /// <summary>One entry left out.</summary>
    EntryRemoved,

    /// <summary>One entry cut at a random length.</summary>
    EntryTruncated,

    /// <summary>The contents of two entries exchanged.</summary>
    EntriesSwapped,

    /// <summary>A value of manifest.json (a parameter, the architecture, an entry's size or hash) replaced by a boundary value of another or the same type.</summary>
    ManifestField,

    /// <summary>
    /// A field of the weights' safetensors header (a dtype, a shape, data offsets, the header length) changed, with the
    /// manifest's size and SHA-256 of the entry updated so the damage reaches the safetensors parser.
    /// </summary>
    TensorHeader,

    /// <summary>An entry renamed or added with a path outside the archive (../, absolute, backslashes).</summary>
    ZipSlipName,

    /// <summary>An entry's size declared huge: in the zip headers, or in the manifest (with the content grown to match its SHA-256 as a decompression bomb).</summary>
    HugeDeclaredSize,

    /// <summary>1–8 random bits of the zip file flipped.</summary>
    BitFlip,
}
