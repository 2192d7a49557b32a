#!/usr/bin/python3
"""Image corpus for the image loading tests: valid PNG/JPEG files with known pixels, and malformed files.

PNGs are written by hand (struct + zlib + numpy), so every chunk, CRC and scanline is under our control; JPEGs
are encoded by Debian's python3-pil (libjpeg-turbo underneath), and those that need chroma subsampling, restart
markers or a multi-scan sequential layout by Debian's libjpeg-turbo-progs (cjpeg). Writes, next to this script:
  valid/*.png, valid/*.jpg   decodable images (pixel formulas below, mirrored in ImageDecoderTests.cs);
  malformed/*                files every decoder must refuse, with an error and no crash;
  malformed.tsv              one line per malformed file: name, the reason substring the error message must
                             contain, and what was broken.

Regenerate (needs python3-numpy, python3-pil and libjpeg-turbo-progs):
  /usr/bin/python3 tests/MLNetFlows.Transforms.Tests/Images/make_image_corpus.py
(paths are relative to this file; the output is deterministic for a given zlib and libjpeg-turbo).

Pixel formulas of the valid PNGs (W x H = 7 x 5, so an Adam7-interlaced image has all seven passes):
  gray(x, y)  = 10 + 15x + 35y
  R = 30x + 7y,  G = 255 - 20x - 30y,  B = 40 + 8xy,  A = 50 + 30x + 5y
  palette index (x + 3y) mod 8; entry i = (30i, 255 - 25i, 10 + 3i^2); tRNS alpha 10 + 60i for i < 4, else 255
  16-bit samples are value * 256 + (7x + 3y) mod 256, so stripping to 8 bits gives the value back
  1-bit gray is (x + y) mod 2 (0 or 255 once expanded)
The JPEGs are 16 x 16, four constant 8 x 8 blocks (quality 100, no chroma subsampling), so their pixels are
the block values up to rounding: JPEG_GRAY_BLOCKS and JPEG_RGB_BLOCKS, row-major blocks.
The cjpeg JPEGs are 61 x 45 (partial MCUs on both axes) of R = (3x + 2y) mod 256, G = 255 - 4x, B = xy mod 256
(gray: R), in the layouts real photos use: 4:2:0 and 4:2:2 subsampling, restart markers, progressive, and one
scan per component; the tests compare them with ImageAnalytics' own decoding.
"""

import io
import os
import shutil
import struct
import subprocess
import tempfile
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
VALID = os.path.join(HERE, "valid")
MALFORMED = os.path.join(HERE, "malformed")
W, H = 7, 5
JPEG_GRAY_BLOCKS = [40, 200, 120, 250]
JPEG_RGB_BLOCKS = [(255, 0, 0), (0, 128, 255), (40, 200, 90), (250, 250, 250)]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

y_grid, x_grid = np.mgrid[0:H, 0:W]
GRAY = 10 + 15 * x_grid + 35 * y_grid
RED, GREEN, BLUE = 30 * x_grid + 7 * y_grid, 255 - 20 * x_grid - 30 * y_grid, 40 + 8 * x_grid * y_grid
ALPHA = 50 + 30 * x_grid + 5 * y_grid
LOW_BYTE = (7 * x_grid + 3 * y_grid) % 256
PALETTE = [(30 * i, 255 - 25 * i, 10 + 3 * i * i) for i in range(8)]
PALETTE_ALPHA = [10 + 60 * i for i in range(4)]
INDEX = (x_grid + 3 * y_grid) % 8


# ---- PNG by hand ----------------------------------------------------------------------------------------------

def chunk(tag, data, crc=None):
    body = tag + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) if crc is None else crc)


def ihdr(width, height, depth, color_type, interlace=0):
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, interlace))


def scanlines(samples, depth):
    """Rows of samples (H x W x C) as filter-type-0 scanlines; 1-bit rows are packed MSB first."""
    rows = samples.reshape(samples.shape[0], -1)
    if depth == 1:
        rows = np.packbits(rows.astype(np.uint8), axis=1)
    elif depth == 16:
        rows = rows.astype(">u2").view(np.uint8).reshape(rows.shape[0], -1)
    else:
        rows = rows.astype(np.uint8)
    return b"".join(b"\x00" + row.tobytes() for row in rows)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png(samples, depth, color_type, interlace=0, before_idat=b"", after_idat=b""):
    """A PNG of samples (H x W x C array): IHDR, extra chunks, one IDAT (zlib level 9), IEND."""
    height, width = samples.shape[:2]
    if interlace:
        raw = b"".join(scanlines(samples[y0::dy, x0::dx], depth)
                       for x0, y0, dx, dy in ADAM7 if samples[y0::dy, x0::dx].size)
    else:
        raw = scanlines(samples, depth)
    return (PNG_SIGNATURE + ihdr(width, height, depth, color_type, interlace) + before_idat
            + chunk(b"IDAT", zlib.compress(raw, 9)) + after_idat + chunk(b"IEND", b""))


def plte(entries):
    return chunk(b"PLTE", bytes(v for entry in entries for v in entry))


def valid_pngs():
    rgb = np.stack([RED, GREEN, BLUE], axis=-1)
    rgba = np.stack([RED, GREEN, BLUE, ALPHA], axis=-1)
    text = chunk(b"tEXt", b"Comment\x00ancillary chunk with a wrong CRC: libpng skips it", crc=0x12345678)
    return {
        "gray8.png": png(GRAY[..., None], 8, 0),
        "gray_alpha8.png": png(np.stack([GRAY, ALPHA], axis=-1), 8, 4),
        "gray1.png": png(((x_grid + y_grid) % 2)[..., None], 1, 0),
        "gray16.png": png((GRAY * 256 + LOW_BYTE)[..., None], 16, 0),
        "rgb8.png": png(rgb, 8, 2),
        "rgb16.png": png(rgb * 256 + LOW_BYTE[..., None], 16, 2),
        "rgb8_interlaced.png": png(rgb, 8, 2, interlace=1),
        "rgba8.png": png(rgba, 8, 6),
        "rgba8_interlaced.png": png(rgba, 8, 6, interlace=1),
        "palette8.png": png(INDEX[..., None], 8, 3, before_idat=plte(PALETTE)),
        "palette8_trns.png": png(INDEX[..., None], 8, 3,
                                 before_idat=plte(PALETTE) + chunk(b"tRNS", bytes(PALETTE_ALPHA))),
        "rgb8_bad_text_crc.png": png(rgb, 8, 2, before_idat=text),
    }


# ---- JPEG through Pillow --------------------------------------------------------------------------------------

def blocks(values, mode):
    from PIL import Image  # python3-pil, only needed here and in valid_jpegs
    image = Image.new(mode, (16, 16))
    for i, value in enumerate(values):
        image.paste(value, (8 * (i % 2), 8 * (i // 2), 8 * (i % 2) + 8, 8 * (i // 2) + 8))
    return image


def jpeg(image, **options):
    out = io.BytesIO()
    image.save(out, "JPEG", quality=100, subsampling=0, **options)
    return out.getvalue()


def valid_jpegs():
    from PIL import Image
    noise = np.random.default_rng(2020).integers(0, 256, size=(32, 32, 3), dtype=np.uint8)
    return {
        "gray.jpg": jpeg(blocks(JPEG_GRAY_BLOCKS, "L")),
        "rgb.jpg": jpeg(blocks(JPEG_RGB_BLOCKS, "RGB")),
        "rgb_progressive.jpg": jpeg(blocks(JPEG_RGB_BLOCKS, "RGB"), progressive=True),
        # Texture, so that the scan data is long enough to damage in the malformed set.
        "noise.jpg": jpeg(Image.fromarray(noise, "RGB")),
    }


# ---- JPEG layouts of real photos through cjpeg ----------------------------------------------------------------

CJPEG_W, CJPEG_H = 61, 45
CJPEG_LAYOUTS = {
    # name: cjpeg options; "scans" is a scan script file (one sequential scan per component)
    "yuv420.jpg": ["-quality", "90", "-sample", "2x2"],
    "yuv420_restart.jpg": ["-quality", "90", "-sample", "2x2", "-restart", "3B"],
    "yuv422_progressive.jpg": ["-quality", "90", "-sample", "2x1", "-progressive"],
    "yuv420_scans.jpg": ["-quality", "90", "-sample", "2x2", "-scans", "scans"],
    "gray_restart.jpg": ["-quality", "90", "-grayscale", "-restart", "1"],
}


def cjpeg_jpegs():
    y, x = np.mgrid[0:CJPEG_H, 0:CJPEG_W]
    rgb = np.stack([(3 * x + 2 * y) % 256, 255 - 4 * x, (x * y) % 256], axis=-1).astype(np.uint8)
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        ppm = os.path.join(tmp, "in.ppm")
        with open(ppm, "wb") as f:
            f.write(b"P6 %d %d 255\n" % (CJPEG_W, CJPEG_H) + rgb.tobytes())
        with open(os.path.join(tmp, "scans"), "w") as f:
            f.write("0;\n1;\n2;\n")
        for name, options in CJPEG_LAYOUTS.items():
            options = [os.path.join(tmp, o) if o == "scans" else o for o in options]
            out[name] = subprocess.run(["cjpeg", *options, ppm], check=True, capture_output=True).stdout
    return out


# ---- malformed files ------------------------------------------------------------------------------------------

def flip(data, offset, mask=0x01):
    return data[:offset] + bytes([data[offset] ^ mask]) + data[offset + 1:]


def find_chunk(data, tag):
    """Offset of the chunk's length field."""
    return data.index(tag) - 4


def find_marker(data, marker):
    return data.index(bytes([0xFF, marker]))


def with_sof_size(data, width, height):
    sof = find_marker(data, 0xC0)
    return data[:sof + 5] + struct.pack(">HH", height, width) + data[sof + 9:]


def malformed(valid):
    rgb = valid["rgb8.png"]
    idat = find_chunk(rgb, b"IDAT")
    idat_length = struct.unpack(">I", rgb[idat:idat + 4])[0]
    iend = find_chunk(rgb, b"IEND")
    samples = np.stack([RED, GREEN, BLUE], axis=-1)
    raw = scanlines(samples, 8)
    jpg = valid["noise.jpg"]
    sos = find_marker(jpg, 0xDA)
    scan = sos + 2 + struct.unpack(">H", jpg[sos + 2:sos + 4])[0]  # first byte of entropy-coded data
    truncated = "truncated PNG data"
    cases = [
        # name, bytes, reason substring, what is broken
        ("empty.png", b"", "empty", "zero bytes"),
        ("text.png", b"This is a text file, not an image.\n", "not a PNG or JPEG image", "plain text"),
        ("gif.png", b"GIF89a\x07\x00\x05\x00\x00\x00\x00;", "not a PNG or JPEG image", "a GIF header"),
        ("bmp.png", b"BM" + bytes(60), "not a PNG or JPEG image", "a BMP header"),
        ("magic_flip.png", flip(rgb, 1), "not a PNG or JPEG image", "'P' of the signature flipped"),
        ("ascii_mangled.png", rgb[:4] + b"\r\r\n\x1a\n" + rgb[8:], "ASCII conversion",
         "signature's \\n rewritten as \\r\\n by a text-mode transfer"),
        ("trunc_3.png", rgb[:3], "not a PNG or JPEG image", "cut inside the signature"),
        ("trunc_7.png", rgb[:7], truncated, "cut at the signature's last byte"),
        ("trunc_8.png", rgb[:8], truncated, "signature only"),
        ("trunc_20.png", rgb[:20], truncated, "cut inside IHDR"),
        ("trunc_ihdr_crc.png", rgb[:31], truncated, "cut inside IHDR's CRC"),
        ("trunc_33.png", rgb[:33], truncated, "IHDR only"),
        ("trunc_idat_head.png", rgb[:idat + 10], truncated, "cut at the start of IDAT's data"),
        ("trunc_idat_mid.png", rgb[:idat + 8 + idat_length // 2], truncated, "cut in the middle of IDAT"),
        ("trunc_idat_crc.png", rgb[:iend - 2], truncated, "cut inside IDAT's CRC"),
        ("no_iend.png", rgb[:iend], truncated, "IEND missing"),
        ("trunc_iend.png", rgb[:-4], truncated, "cut inside IEND's CRC"),
        ("ihdr_width_flip.png", flip(rgb, 18), "IHDR: CRC error", "a width bit flipped (CRC now wrong)"),
        ("ihdr_crc_flip.png", flip(rgb, 30), "IHDR: CRC error", "a bit of IHDR's CRC flipped"),
        ("idat_data_flip.png", flip(rgb, idat + 8 + idat_length // 2), "IDAT: ",
         "a bit in the compressed pixels flipped (zlib notices before the CRC is read)"),
        ("idat_crc_flip.png", flip(rgb, iend - 1), "IDAT: CRC error", "a bit of IDAT's CRC flipped"),
        ("iend_crc_flip.png", flip(rgb, len(rgb) - 1), "IEND: CRC error", "a bit of IEND's CRC flipped"),
        ("idat_length_huge.png", rgb[:idat] + b"\x7f\xff\xff\xf0" + rgb[idat + 4:], truncated,
         "IDAT declares 2 GB of data"),
        ("zlib_header_bad.png",
         rgb[:idat] + chunk(b"IDAT", b"\x78\x00" + zlib.compress(raw, 9)[2:]) + rgb[iend:], "IDAT",
         "zlib header check bits wrong (CRC recomputed)"),
        ("zlib_adler_bad.png",
         rgb[:idat] + chunk(b"IDAT", flip(zlib.compress(raw, 9), len(zlib.compress(raw, 9)) - 1)) + rgb[iend:],
         "IDAT", "zlib Adler-32 checksum wrong (CRC recomputed)"),
        ("too_little_data.png", rgb[:idat] + chunk(b"IDAT", zlib.compress(raw[:len(raw) // 2], 9)) + rgb[iend:],
         "Not enough image data", "the zlib stream holds half the rows"),
        ("bad_filter.png",
         rgb[:idat] + chunk(b"IDAT", zlib.compress(b"\x07" + raw[1:], 9)) + rgb[iend:], "filter",
         "a row declares filter type 7"),
        ("no_idat.png", rgb[:idat] + rgb[iend:], "IEND: out of place", "IHDR then IEND, no IDAT"),
        ("no_ihdr.png", PNG_SIGNATURE + rgb[idat:], "IHDR", "IDAT first, no IHDR"),
        ("palette_no_plte.png", png(INDEX[..., None], 8, 3), "PLTE", "palette image without PLTE"),
        ("width_zero.png", PNG_SIGNATURE + ihdr(0, 5, 8, 2) + rgb[33:], "Image width is zero in IHDR",
         "IHDR width 0 (valid CRC)"),
        ("bit_depth_3.png", PNG_SIGNATURE + ihdr(7, 5, 3, 2) + rgb[33:], "Invalid bit depth in IHDR",
         "IHDR bit depth 3 (valid CRC)"),
        ("color_type_5.png", PNG_SIGNATURE + ihdr(7, 5, 8, 5) + rgb[33:], "Invalid color type in IHDR",
         "IHDR colour type 5 (valid CRC)"),
        ("bomb_side.png", PNG_SIGNATURE + ihdr(100000, 100000, 8, 2) + rgb[33:],
         "image declares 100000x100000 pixels, over the limit of 65535 pixels per side",
         "IHDR declares 100000 x 100000 (decompression bomb)"),
        ("bomb_area.png", PNG_SIGNATURE + ihdr(60000, 60000, 8, 2) + rgb[33:],
         "image declares 60000x60000 = 3600000000 pixels, over the limit of 100000000 pixels",
         "IHDR declares 60000 x 60000 (decompression bomb)"),
        ("jpeg_soi_only.jpg", jpg[:2], "not a PNG or JPEG image", "the SOI marker alone"),
        ("jpeg_soi_eoi.jpg", b"\xff\xd8\xff\xd9", "before the frame header", "SOI then EOI, no image"),
        ("jpeg_trunc_header.jpg", jpg[:40], "before the frame header", "cut inside the headers"),
        ("jpeg_trunc_sos.jpg", jpg[:scan], "Premature end of JPEG file", "cut right after the SOS header"),
        ("jpeg_trunc_scan.jpg", jpg[:scan + (len(jpg) - scan) // 2], "Premature end of JPEG file", "cut in the middle of the scan"),
        ("jpeg_no_eoi.jpg", jpg[:-2], "Premature end of JPEG file", "EOI marker missing"),
        ("jpeg_height_zero.jpg", with_sof_size(jpg, 32, 0), "Empty JPEG image", "SOF height 0"),
        ("jpeg_bomb_area.jpg", with_sof_size(jpg[:scan + 16], 30000, 30000),
         "image declares 30000x30000 = 900000000 pixels, over the limit of 100000000 pixels",
         "SOF declares 30000 x 30000 in a 639-byte file (decompression bomb)"),
        ("jpeg_too_wide.jpg", with_sof_size(jpg, 65535, 65535), "Maximum supported image dimension", "SOF declares 65535 x 65535"),
        ("jpeg_lossless_sof.jpg", flip(jpg, find_marker(jpg, 0xC0) + 1, 0x03), "Unsupported JPEG process",
         "SOF0 turned into SOF3 (lossless, unsupported)"),
        ("jpeg_bad_qtable.jpg", flip(jpg, find_marker(jpg, 0xC0) + 12, 0x03), "Quantization table 0x03 was not defined",
         "first component refers to quantisation table 3, never defined"),
        ("jpeg_marker_in_scan.jpg", jpg[:scan + 20] + b"\xff\xc4" + jpg[scan + 22:], "Corrupt JPEG data",
         "a DHT marker in the middle of the scan data"),
    ]
    return cases


def reset(directory):
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)


def main():
    valid = {**valid_pngs(), **valid_jpegs(), **cjpeg_jpegs()}
    reset(VALID)
    for name, data in valid.items():
        with open(os.path.join(VALID, name), "wb") as f:
            f.write(data)
    reset(MALFORMED)
    lines = ["# name\treason substring the error message must contain\twhat is broken"]
    for name, data, reason, what in malformed(valid):
        with open(os.path.join(MALFORMED, name), "wb") as f:
            f.write(data)
        lines.append(f"{name}\t{reason}\t{what}")
    with open(os.path.join(HERE, "malformed.tsv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{len(valid)} valid and {len(lines) - 1} malformed files written under {HERE}")


if __name__ == "__main__":
    main()
