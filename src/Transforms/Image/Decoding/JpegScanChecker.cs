namespace MLNetFlows.Transforms.Image.Decoding;

/// <summary>
/// Decodes the Huffman-coded data of one sequential scan (ITU T.81 F.2.2) without dequantising or transforming it,
/// to prove that it holds exactly the MCUs the frame declares: every code valid, every restart marker in place, no
/// data missing or left over. libjpeg only warns about these faults and SkiaSharp then decodes garbage or gray
/// blocks without a word; here each is an error with libjpeg's warning text ("Corrupt JPEG data: …").
/// </summary>
internal static class JpegScanChecker
{
    private const int BlockSize = 8;
    private const int CoefficientsPerBlock = 64;
    private const int MaxDcCategory = 15;

    /// <summary>One component of a scan with its DC and AC tables.</summary>
    public readonly record struct ScanComponent(JpegComponent Component, JpegHuffmanTable Dc, JpegHuffmanTable Ac);

    /// <summary>Checks the entropy-coded data in <paramref name="data"/>[<paramref name="start"/>, <paramref name="end"/>).</summary>
    /// <param name="frame">The frame (sequential, Huffman-coded).</param>
    /// <param name="components">The scan's components, in scan order.</param>
    /// <param name="restartInterval">MCUs between restart markers; 0 for none.</param>
    /// <param name="data">The file.</param>
    /// <param name="start">The first byte after the SOS segment.</param>
    /// <param name="end">The marker that ends the scan.</param>
    /// <param name="scanNumber">The scan's number (1 first), for messages.</param>
    /// <exception cref="InvalidImageException">The data does not decode to the declared MCUs.</exception>
    public static void Check(JpegFrame frame, IReadOnlyList<ScanComponent> components, int restartInterval, byte[] data, int start, int end, int scanNumber)
    {
        (long mcus, int[] blocksPerMcu) = Layout(frame, components);
        var reader = new JpegBitReader(data, start, end);
        long mcu = 0;
        try
        {
            for (; mcu < mcus; mcu++)
            {
                if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0)
                {
                    reader.Restart((int)((mcu / restartInterval) - 1) % 8);
                }

                for (int c = 0; c < components.Count; c++)
                {
                    for (int b = 0; b < blocksPerMcu[c]; b++)
                    {
                        DecodeBlock(reader, components[c]);
                    }
                }
            }

            reader.CheckEnd();
        }
        catch (InvalidImageException e)
        {
            string where = mcu < mcus ? $"MCU {mcu} of {mcus}" : $"after its {mcus} MCUs";
            throw new InvalidImageException($"{e.Message} (scan {scanNumber}, {where})", e);
        }
    }

    /// <summary>The number of MCUs of the scan and the blocks of each component in one MCU (T.81 A.2).</summary>
    private static (long Mcus, int[] BlocksPerMcu) Layout(JpegFrame frame, IReadOnlyList<ScanComponent> components)
    {
        if (components.Count == 1)
        {
            // A non-interleaved scan: one block per MCU, over the component's own (subsampled) size.
            JpegComponent c = components[0].Component;
            long width = Ceiling((long)frame.Width * c.H, frame.MaxH), height = Ceiling((long)frame.Height * c.V, frame.MaxV);
            return (Ceiling(width, BlockSize) * Ceiling(height, BlockSize), [1]);
        }

        long mcus = Ceiling(frame.Width, BlockSize * frame.MaxH) * Ceiling(frame.Height, BlockSize * frame.MaxV);
        return (mcus, [.. components.Select(s => s.Component.H * s.Component.V)]);
    }

    private static void DecodeBlock(JpegBitReader reader, ScanComponent component)
    {
        int dcCategory = component.Dc.Decode(reader);
        if (dcCategory > MaxDcCategory)
        {
            throw new InvalidImageException($"Corrupt JPEG data: bad DC difference category {dcCategory}");
        }

        reader.Receive(dcCategory);
        for (int k = 1; k < CoefficientsPerBlock;)
        {
            int symbol = component.Ac.Decode(reader);
            int run = symbol >> 4, size = symbol & 0x0F;
            if (size == 0)
            {
                if (run != 15)
                {
                    return; // end of block
                }

                k += 16;
            }
            else
            {
                k += run;
                reader.Receive(size);
                k++;
            }

            if (k > CoefficientsPerBlock)
            {
                throw new InvalidImageException("Corrupt JPEG data: an AC coefficient run goes past the end of its 8x8 block");
            }
        }
    }

    private static long Ceiling(long value, long divisor) => (value + divisor - 1) / divisor;
}
