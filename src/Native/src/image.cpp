// image.cpp — the image exports: PNG and JPEG decoding, PNG encoding. The codecs themselves are
// libpng (image_png.cpp) and libjpeg-turbo (image_jpeg.cpp); nothing is decoded by hand. No
// libtorch here: only the error convention of errors.h.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "errors.h"
#include "image_codec.h"

namespace mlnf::image {

std::atomic<int64_t> live_count{0};

namespace {

Input checked_input(const uint8_t* data, int64_t length) {
  if (length < 0) throw std::invalid_argument("negative data length " + std::to_string(length));
  if (length == 0) throw std::invalid_argument("empty image data (0 bytes)");
  if (data == nullptr) throw std::invalid_argument("the image data pointer is null");
  return {data, static_cast<size_t>(length)};
}

int32_t detect_format(Input in) {
  static constexpr uint8_t kPngMagic[] = {0x89, 'P', 'N', 'G'};
  static constexpr uint8_t kJpegMagic[] = {0xFF, 0xD8, 0xFF};
  // The rest of the PNG signature (\r\n\x1a\n) is left to libpng, which diagnoses its corruption.
  if (in.length >= 4 && std::memcmp(in.data, kPngMagic, 4) == 0) return kFormatPng;
  if (in.length >= 3 && std::memcmp(in.data, kJpegMagic, 3) == 0) return kFormatJpeg;
  std::string message = "not a PNG or JPEG image (magic bytes";
  char hex[4];
  for (size_t i = 0; i < std::min<size_t>(in.length, 8); ++i) {
    std::snprintf(hex, sizeof hex, " %02x", in.data[i]);
    message += hex;
  }
  if (in.length < 8) message += ", " + std::to_string(in.length) + " bytes in all";
  throw std::runtime_error(message + ")");
}

std::string size_text(const Header& header) {
  return std::to_string(header.width) + "x" + std::to_string(header.height);
}

}  // namespace

void check_size(const Header& header, int64_t max_pixels) {
  if (header.width <= 0 || header.height <= 0) {
    throw std::runtime_error("image declares an empty size " + size_text(header));
  }
  if (max_pixels <= 0) return;
  if (header.width > kMaxSide || header.height > kMaxSide) {
    throw std::runtime_error("image declares " + size_text(header) + " pixels, over the limit of " +
                             std::to_string(kMaxSide) +
                             " pixels per side (decompression-bomb guard)");
  }
  const int64_t pixels = int64_t{header.width} * header.height;
  if (pixels > max_pixels) {
    throw std::runtime_error("image declares " + size_text(header) + " = " +
                             std::to_string(pixels) + " pixels, over the limit of " +
                             std::to_string(max_pixels) + " pixels (decompression-bomb guard)");
  }
}

void check_output(const Header& header, int32_t channels, const uint8_t* out, int64_t out_length) {
  const int64_t needed = int64_t{header.width} * header.height * channels;
  if (out == nullptr || out_length != needed) {
    throw std::invalid_argument("the output buffer holds " + std::to_string(out_length) +
                                " bytes but the " + size_text(header) + "x" +
                                std::to_string(channels) + " image needs " +
                                std::to_string(needed));
  }
}

}  // namespace mlnf::image

using mlnf::image::check_size;
using mlnf::image::checked_input;
using mlnf::image::detect_format;
using mlnf::image::Header;
using mlnf::image::Input;
using mlnf::image::jpeg_decode;
using mlnf::image::jpeg_probe;
using mlnf::image::kFormatPng;
using mlnf::image::kMaxSide;
using mlnf::image::live_count;
using mlnf::image::png_decode;
using mlnf::image::png_encode;
using mlnf::image::png_probe;

extern "C" {

int32_t mlnf_image_probe(const uint8_t* data, int64_t length, int64_t max_pixels, int32_t* format,
                         int32_t* width, int32_t* height, int32_t* channels) {
  try {
    if (format == nullptr || width == nullptr || height == nullptr || channels == nullptr) {
      throw std::invalid_argument("an output pointer is null");
    }
    if (max_pixels < 0) throw std::invalid_argument("max_pixels must not be negative");
    const Input in = checked_input(data, length);
    const Header header = detect_format(in) == kFormatPng ? png_probe(in) : jpeg_probe(in);
    check_size(header, max_pixels);
    *format = header.format;
    *width = header.width;
    *height = header.height;
    *channels = header.channels;
    return MLNF_OK;
  }
  MLNF_CATCH_STD(MLNF_ERROR)
}

int32_t mlnf_image_decode(const uint8_t* data, int64_t length, int32_t desired_channels,
                          int64_t max_pixels, uint8_t* out, int64_t out_length) {
  try {
    if (desired_channels != 1 && desired_channels != 3 && desired_channels != 4) {
      throw std::invalid_argument("channels must be 1 (gray), 3 (RGB) or 4 (RGBA), got " +
                                  std::to_string(desired_channels));
    }
    if (max_pixels < 1) throw std::invalid_argument("max_pixels must be at least 1");
    const Input in = checked_input(data, length);
    if (detect_format(in) == kFormatPng) {
      png_decode(in, desired_channels, max_pixels, out, out_length);
    } else {
      jpeg_decode(in, desired_channels, max_pixels, out, out_length);
    }
    return MLNF_OK;
  }
  MLNF_CATCH_STD(MLNF_ERROR)
}

int32_t mlnf_image_encode_png(const uint8_t* pixels, int64_t pixels_length, int32_t width,
                              int32_t height, int32_t channels, int32_t compression_level,
                              uint8_t** out, int64_t* out_length) {
  try {
    if (out == nullptr || out_length == nullptr) {
      throw std::invalid_argument("an output pointer is null");
    }
    *out = nullptr;
    *out_length = 0;
    if (width < 1 || width > kMaxSide || height < 1 || height > kMaxSide) {
      throw std::invalid_argument("PNG size must be 1..65535 per side, got " +
                                  std::to_string(width) + "x" + std::to_string(height));
    }
    if (channels != 1 && channels != 3 && channels != 4) {
      throw std::invalid_argument("channels must be 1 (gray), 3 (RGB) or 4 (RGBA), got " +
                                  std::to_string(channels));
    }
    if (compression_level < 0 || compression_level > 9) {
      throw std::invalid_argument("compression level must be 0..9, got " +
                                  std::to_string(compression_level));
    }
    const int64_t needed = int64_t{width} * height * channels;
    if (pixels == nullptr || pixels_length != needed) {
      throw std::invalid_argument("pixels hold " + std::to_string(pixels_length) + " bytes but a " +
                                  std::to_string(width) + "x" + std::to_string(height) + "x" +
                                  std::to_string(channels) + " image needs " +
                                  std::to_string(needed));
    }
    size_t size = 0;
    *out = png_encode(pixels, width, height, channels, compression_level, &size);
    *out_length = static_cast<int64_t>(size);
    return MLNF_OK;
  }
  MLNF_CATCH_STD(MLNF_ERROR)
}

void mlnf_image_buffer_free(uint8_t* buffer) {
  if (buffer == nullptr) return;
  std::free(buffer);
  --live_count;
}

int64_t mlnf_image_live_count(void) {
  return live_count.load();
}

}  // extern "C"
