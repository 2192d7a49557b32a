using System.Runtime.InteropServices;

namespace MLNetFlows.Torch.Interop;

// Mirrors the "image.cpp: PNG and JPEG codecs (libpng, libjpeg-turbo)" section of src/Native/include/mlnf.h one-to-one.
internal static partial class Native
{
    [LibraryImport(LibraryName)]
    internal static unsafe partial int mlnf_image_probe(byte* data, long length, long max_pixels, out int format, out int width, out int height, out int channels);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int mlnf_image_decode(byte* data, long length, int desired_channels, long max_pixels, byte* @out, long out_length);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int mlnf_image_encode_png(byte* pixels, long pixels_length, int width, int height, int channels, int compression_level, out IntPtr @out, out long out_length);

    [LibraryImport(LibraryName)]
    internal static partial void mlnf_image_buffer_free(IntPtr buffer);

    [LibraryImport(LibraryName)]
    internal static partial long mlnf_image_live_count();
}
