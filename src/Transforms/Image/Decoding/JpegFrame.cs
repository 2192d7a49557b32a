namespace MLNetFlows.Transforms.Image.Decoding;

/// <summary>A JPEG frame header (SOF segment, ITU T.81 B.2.2) as the checks need it.</summary>
/// <param name="Marker">The SOF marker: 0xC0 baseline, 0xC1 extended sequential, 0xC2 progressive, 0xC9/0xCA arithmetic-coded.</param>
/// <param name="Width">Samples per line.</param>
/// <param name="Height">Lines.</param>
/// <param name="Components">Each component's identifier, sampling factors and quantisation table.</param>
internal sealed record JpegFrame(int Marker, int Width, int Height, JpegComponent[] Components)
{
    /// <summary>Gets a value indicating whether scans are sequential and Huffman-coded (SOF0, SOF1): the kind whose entropy-coded data is checked.</summary>
    public bool IsSequentialHuffman => Marker is 0xC0 or 0xC1;

    /// <summary>Gets the largest horizontal sampling factor.</summary>
    public int MaxH => Components.Max(c => c.H);

    /// <summary>Gets the largest vertical sampling factor.</summary>
    public int MaxV => Components.Max(c => c.V);
}

/// <summary>One component of a <see cref="JpegFrame"/>.</summary>
/// <param name="Id">The component identifier scans refer to.</param>
/// <param name="H">Horizontal sampling factor (1–4).</param>
/// <param name="V">Vertical sampling factor (1–4).</param>
/// <param name="QuantizationTable">The quantisation table index (0–3).</param>
internal sealed record JpegComponent(int Id, int H, int V, int QuantizationTable);
