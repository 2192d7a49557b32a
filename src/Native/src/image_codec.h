// image_codec.h — internals shared by image.cpp (the exports and the checks common to both formats)
// and the codec files image_png.cpp (libpng) and image_jpeg.cpp (libjpeg-turbo). No libtorch. Every
// function here reports failure by throwing; the exports turn that into the error convention.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace mlnf::image {

constexpr int32_t kFormatPng = 1;
constexpr int32_t kFormatJpeg = 2;
constexpr int64_t kMaxSide = 65535;

struct Header {
  int32_t format;
  int32_t width;
  int32_t height;
  int32_t channels;  // as stored: 1 gray, 2 gray+alpha, 3 colour, 4 colour+alpha (or CMYK)
};

// Validated input: a non-null pointer to length > 0 bytes.
struct Input {
  const uint8_t* data;
  size_t length;
};

// png_structs, tjhandles and encoded buffers alive now: mlnf_image_live_count().
extern std::atomic<int64_t> live_count;

// The decompression-bomb guard: runs on the header alone, before any pixel memory exists. With
// max_pixels 0 only an empty size is refused.
void check_size(const Header& header, int64_t max_pixels);
// out must hold exactly width * height * channels bytes.
void check_output(const Header& header, int32_t channels, const uint8_t* out, int64_t out_length);

// image_png.cpp
Header png_probe(Input in);
void png_decode(Input in, int32_t channels, int64_t max_pixels, uint8_t* out, int64_t out_length);
// Returns the PNG in a malloc'ed buffer, counted in live_count until mlnf_image_buffer_free().
uint8_t* png_encode(const uint8_t* pixels, int32_t width, int32_t height, int32_t channels,
                    int32_t level, size_t* size);

// image_jpeg.cpp
Header jpeg_probe(Input in);
void jpeg_decode(Input in, int32_t channels, int64_t max_pixels, uint8_t* out, int64_t out_length);

}  // namespace mlnf::image
