using System.Globalization;

namespace MLNetFlows.Persistence;

/// <summary>
/// How one kind of transformer identifies itself in an ML.NET model file: the header ML.NET writes before the
/// component (<see cref="ModelSignature"/>, versions, <see cref="LoaderSignature"/>, loader assembly) and the kind
/// named in our manifest. <see cref="ModelLoaders"/> registers the loader under <see cref="LoaderSignature"/>.
/// </summary>
internal sealed record PersistedModelKind
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="modelSignature">Exactly 8 ASCII characters stored in the header (ML.NET's model signature).</param>
    /// <param name="loaderSignature">1 to 24 ASCII characters naming the loader in the component catalog.</param>
    /// <param name="transformerType">The transformer type the loader returns (its assembly is the loader assembly).</param>
    /// <param name="version">The version written; also the oldest version that can read it and the oldest version read back.</param>
    public PersistedModelKind(string modelSignature, string loaderSignature, Type transformerType, uint version = 0x00010001)
    {
        ArgumentNullException.ThrowIfNull(transformerType);
        if (modelSignature is not { Length: 8 } || !modelSignature.All(char.IsAscii))
        {
            throw new ArgumentException($"a model signature is exactly 8 ASCII characters, got '{modelSignature}'", nameof(modelSignature));
        }

        if (loaderSignature is not { Length: >= 1 and <= 24 } || !loaderSignature.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
        {
            throw new ArgumentException($"a loader signature is 1 to 24 ASCII letters, digits, '_' or '.', got '{loaderSignature}'", nameof(loaderSignature));
        }

        ModelSignature = modelSignature;
        LoaderSignature = loaderSignature;
        TransformerType = transformerType;
        WrittenVersion = version;
        ReadableVersion = version;
        MinimumReadableVersion = version;
    }

    /// <summary>Gets the 8-character model signature.</summary>
    public string ModelSignature { get; }

    /// <summary>Gets the loader signature (the loader's name in ML.NET's component catalog).</summary>
    public string LoaderSignature { get; }

    /// <summary>Gets the transformer type the loader returns.</summary>
    public Type TransformerType { get; }

    /// <summary>Gets the version written.</summary>
    public uint WrittenVersion { get; }

    /// <summary>Gets the oldest reader version that can read what is written.</summary>
    public uint ReadableVersion { get; }

    /// <summary>Gets the oldest written version this code reads.</summary>
    public uint MinimumReadableVersion { get; }

    /// <summary>
    /// Gets the loader assembly's simple name, stored in the header: ML.NET loads this assembly (any version) before
    /// it looks the loader up, so a missing library is reported by name.
    /// </summary>
    public string LoaderAssemblyName => TransformerType.Assembly.GetName().Name!;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{LoaderSignature} ({ModelSignature}, version 0x{WrittenVersion:X8})");
}
