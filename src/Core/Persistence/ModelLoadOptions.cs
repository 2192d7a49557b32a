namespace MLNetFlows.Persistence;

/// <summary>Limits applied while loading a model file, so that a hostile or corrupt file cannot exhaust memory.</summary>
public sealed class ModelLoadOptions
{
    /// <summary>Gets the largest uncompressed size of one zip entry, in bytes (default <see cref="Defaults.MaxEntryBytes"/>).</summary>
    public long MaxEntryBytes { get; init; } = Defaults.MaxEntryBytes;

    /// <summary>Gets the largest number of zip entries (default <see cref="Defaults.MaxEntries"/>).</summary>
    public int MaxEntries { get; init; } = Defaults.MaxEntries;

    /// <summary>Gets the largest manifest size, in bytes (default <see cref="Defaults.MaxManifestBytes"/>).</summary>
    public long MaxManifestBytes { get; init; } = Defaults.MaxManifestBytes;

    /// <summary>The default limits.</summary>
    public static class Defaults
    {
        /// <summary>4 GiB: larger than any weight file of this project's models.</summary>
        public const long MaxEntryBytes = 4L << 30;

        /// <summary>The default maximum number of entries.</summary>
        public const int MaxEntries = 10_000;

        /// <summary>16 MiB of JSON.</summary>
        public const long MaxManifestBytes = 16L << 20;
    }
}
