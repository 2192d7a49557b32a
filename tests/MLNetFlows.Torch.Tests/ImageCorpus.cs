namespace MLNetFlows.Torch.Tests;

/// <summary>
/// The image corpus written by Images/make_image_corpus.py (run by hand; its header says how to regenerate): valid
/// files whose pixels follow the formulas below (mirrored from the script), and malformed files listed with the
/// reason their error must name in Images/malformed.tsv.
/// </summary>
internal static class ImageCorpus
{
    public const int Width = 7;
    public const int Height = 5;

    public static readonly int[] JpegGrayBlocks = [40, 200, 120, 250];
    public static readonly (int R, int G, int B)[] JpegRgbBlocks = [(255, 0, 0), (0, 128, 255), (40, 200, 90), (250, 250, 250)];

    public static string Root => Path.Combine(AppContext.BaseDirectory, "Images");

    public static string Valid(string name) => Path.Combine(Root, "valid", name);

    public static string MalformedFile(string name) => Path.Combine(Root, "malformed", name);

    /// <summary>Each malformed file with the substring its error message must contain.</summary>
    public static IReadOnlyList<(string Name, string Reason, string What)> Malformed() =>
        File.ReadLines(Path.Combine(Root, "malformed.tsv"))
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(fields => (fields[0], fields[1], fields[2]))
            .ToList();

    /// <summary>The samples a valid PNG stores at (x, y), 8-bit (16-bit files keep these in their high byte).</summary>
    public static (int R, int G, int B, int A) Stored(string file, int x, int y)
    {
        var gray = 10 + (15 * x) + (35 * y);
        var alpha = 50 + (30 * x) + (5 * y);
        var (r, g, b) = (30 * x + 7 * y, 255 - (20 * x) - (30 * y), 40 + (8 * x * y));
        var index = (x + (3 * y)) % 8;
        return file switch
        {
            "gray8.png" or "gray16.png" => (gray, gray, gray, 255),
            "gray_alpha8.png" => (gray, gray, gray, alpha),
            "gray1.png" => ((x + y) % 2 * 255, (x + y) % 2 * 255, (x + y) % 2 * 255, 255),
            "rgb8.png" or "rgb16.png" or "rgb8_interlaced.png" or "rgb8_bad_text_crc.png" => (r, g, b, 255),
            "rgba8.png" or "rgba8_interlaced.png" => (r, g, b, alpha),
            "palette8.png" => (30 * index, 255 - (25 * index), 10 + (3 * index * index), 255),
            "palette8_trns.png" => (30 * index, 255 - (25 * index), 10 + (3 * index * index), index < 4 ? 10 + (60 * index) : 255),
            _ => throw new ArgumentException($"no formula for {file}", nameof(file)),
        };
    }

    /// <summary>The low byte of the 16-bit files' samples (stripped by the decoder).</summary>
    public static int LowByte(int x, int y) => ((7 * x) + (3 * y)) % 256;

    /// <summary>
    /// libpng's colour → gray without gamma (pngrtran.c, png_do_rgb_to_gray) for BT.601 weights set as
    /// png_set_rgb_to_gray_fixed(29900, 58700): coefficients 9797, 19234 and 32768 − both, in 1/32768 units;
    /// 8-bit samples truncate (and a neutral pixel keeps its value), 16-bit samples round and keep the high byte.
    /// </summary>
    public static int Luma8(int r, int g, int b) =>
        r == g && g == b ? r : ((9797 * r) + (19234 * g) + (3737 * b)) >> 15;

    public static int Luma16(int r16, int g16, int b16) =>
        (int)((((9797L * r16) + (19234L * g16) + (3737L * b16) + 16384) >> 15) >> 8);

    /// <summary>BT.601 luma, rounded: JPEG's Y.</summary>
    public static int Luma601(int r, int g, int b) => (int)Math.Round((0.299 * r) + (0.587 * g) + (0.114 * b));
}
