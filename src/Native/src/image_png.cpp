// image_png.cpp — PNG decoding and encoding through libpng (no codec written here, no libtorch).
//
// libpng reports errors by longjmp. Every libpng call that can fail runs inside run_png(), the only
// function that calls setjmp. The steps it runs own no object with a destructor (the jump would
// skip it); the png_struct, the input cursor and the output buffer live in guards of the caller's
// frame, whose destructors run after the jump has landed and run_png() has returned false. The
// error handler copies libpng's message into the guard before jumping.
#include <png.h>

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "image_codec.h"

namespace mlnf::image {
namespace {

constexpr size_t kMessageCapacity = 256;

// libpng's error, and the warnings before it, which often hold the detail ("Invalid IHDR data"
// follows the warning "Image width is zero in IHDR").
struct PngMessages {
  char error[kMessageCapacity] = {};
  char warnings[2 * kMessageCapacity] = {};  // "; "-separated, cut at the capacity

  std::string describe() const {
    std::string text = error;
    if (warnings[0] != '\0') text += std::string(" (libpng warnings: ") + warnings + ")";
    return text;
  }
};

// One PNG read: trivially destructible, owned by PngReadGuard in the caller's frame.
struct PngRead {
  png_structp png = nullptr;
  png_infop info = nullptr;
  const uint8_t* data = nullptr;
  size_t length = 0;
  size_t offset = 0;
  PngMessages messages;
};

// One PNG write: trivially destructible, owned by PngWriteGuard in the caller's frame.
struct PngWrite {
  png_structp png = nullptr;
  png_infop info = nullptr;
  uint8_t* buffer = nullptr;  // malloc'ed, grows by doubling
  size_t size = 0;
  size_t capacity = 0;
  PngMessages messages;
};

[[noreturn]] void on_png_error(png_structp png, png_const_charp message) {
  auto* messages = static_cast<PngMessages*>(png_get_error_ptr(png));
  std::snprintf(messages->error, kMessageCapacity, "%s",
                message != nullptr ? message : "unknown libpng error");
  png_longjmp(png, 1);
}

// Warnings alone fail nothing: libpng skips the ancillary chunk concerned (a bad CRC, an odd ICC
// profile). They are kept to detail a later error.
void on_png_warning(png_structp png, png_const_charp message) {
  auto* messages = static_cast<PngMessages*>(png_get_error_ptr(png));
  const size_t used = std::strlen(messages->warnings);
  std::snprintf(messages->warnings + used, sizeof messages->warnings - used, "%s%s",
                used == 0 ? "" : "; ", message != nullptr ? message : "");
}

// The bounded memory reader: a request past the end of the input is an error, never a read.
void read_png_bytes(png_structp png, png_bytep destination, size_t count) {
  auto* read = static_cast<PngRead*>(png_get_io_ptr(png));
  if (count > read->length - read->offset) {
    char text[kMessageCapacity];
    std::snprintf(text, sizeof text,
                  "truncated PNG data (%zu bytes needed at offset %zu, the input ends at %zu)",
                  count, read->offset, read->length);
    png_error(png, text);
  }
  std::memcpy(destination, read->data + read->offset, count);
  read->offset += count;
}

void write_png_bytes(png_structp png, png_bytep data, size_t count) {
  auto* write = static_cast<PngWrite*>(png_get_io_ptr(png));
  if (count > write->capacity - write->size) {
    const size_t capacity = std::max({write->capacity * 2, write->size + count, size_t{4096}});
    auto* grown = static_cast<uint8_t*>(std::realloc(write->buffer, capacity));
    if (grown == nullptr) png_error(png, "out of memory while encoding the PNG");
    write->buffer = grown;
    write->capacity = capacity;
  }
  std::memcpy(write->buffer + write->size, data, count);
  write->size += count;
}

void flush_png(png_structp) {}

class PngReadGuard {
 public:
  explicit PngReadGuard(Input in) {
    state_.data = in.data;
    state_.length = in.length;
    state_.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state_.messages, on_png_error,
                                        on_png_warning);
    if (state_.png == nullptr) throw std::runtime_error("libpng could not create a read struct");
    state_.info = png_create_info_struct(state_.png);
    if (state_.info == nullptr) {
      png_destroy_read_struct(&state_.png, nullptr, nullptr);
      throw std::runtime_error("libpng could not create an info struct");
    }
    ++live_count;
    png_set_read_fn(state_.png, &state_, read_png_bytes);
    // libpng's default limit (1 000 000 per side) would pre-empt check_size()'s clearer message.
    png_set_user_limits(state_.png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
  }
  ~PngReadGuard() {
    png_destroy_read_struct(&state_.png, &state_.info, nullptr);
    --live_count;
  }
  PngReadGuard(const PngReadGuard&) = delete;
  PngReadGuard& operator=(const PngReadGuard&) = delete;

  PngRead& state() { return state_; }
  [[noreturn]] void fail() const {
    throw std::runtime_error("invalid PNG: " + state_.messages.describe());
  }

 private:
  PngRead state_;
};

class PngWriteGuard {
 public:
  PngWriteGuard() {
    state_.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state_.messages, on_png_error,
                                         on_png_warning);
    if (state_.png == nullptr) throw std::runtime_error("libpng could not create a write struct");
    state_.info = png_create_info_struct(state_.png);
    if (state_.info == nullptr) {
      png_destroy_write_struct(&state_.png, nullptr);
      throw std::runtime_error("libpng could not create an info struct");
    }
    ++live_count;
    png_set_write_fn(state_.png, &state_, write_png_bytes, flush_png);
  }
  ~PngWriteGuard() {
    png_destroy_write_struct(&state_.png, &state_.info);
    std::free(state_.buffer);
    --live_count;
  }
  PngWriteGuard(const PngWriteGuard&) = delete;
  PngWriteGuard& operator=(const PngWriteGuard&) = delete;

  PngWrite& state() { return state_; }
  [[noreturn]] void fail() const {
    throw std::runtime_error("PNG encoding failed: " + state_.messages.describe());
  }
  // Hands the encoded bytes to the caller (mlnf_image_buffer_free releases them).
  uint8_t* release() {
    uint8_t* buffer = state_.buffer;
    state_.buffer = nullptr;
    ++live_count;
    return buffer;
  }

 private:
  PngWrite state_;
};

// Runs step(context) with libpng's error jump landing here: false when libpng reported an error.
// The step and everything it calls must own no object with a destructor.
bool run_png(png_structp png, void (*step)(void*), void* context) {
  if (setjmp(png_jmpbuf(png)) != 0) return false;
  step(context);
  return true;
}

struct PngHeaderStep {
  PngRead* read;
  Header header;
};

void read_png_header(void* context) {
  auto& step = *static_cast<PngHeaderStep*>(context);
  png_structp png = step.read->png;
  png_infop info = step.read->info;
  png_read_info(png, info);
  const int color = png_get_color_type(png, info);
  const bool transparency = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
  int32_t channels = (color & PNG_COLOR_MASK_COLOR) != 0 ? 3 : 1;
  if ((color & PNG_COLOR_MASK_ALPHA) != 0 || transparency) ++channels;
  step.header = {kFormatPng, static_cast<int32_t>(png_get_image_width(png, info)),
                 static_cast<int32_t>(png_get_image_height(png, info)), channels};
}

struct PngPixelsStep {
  PngRead* read;
  Header header;
  int32_t channels;
  uint8_t* out;
};

// Converts every colour type and bit depth to 8-bit gray, RGB or RGBA with libpng's transforms.
void read_png_pixels(void* context) {
  auto& step = *static_cast<PngPixelsStep*>(context);
  png_structp png = step.read->png;
  png_infop info = step.read->info;
  const int color = png_get_color_type(png, info);
  const bool has_color = (color & PNG_COLOR_MASK_COLOR) != 0;
  const bool has_alpha =
      (color & PNG_COLOR_MASK_ALPHA) != 0 || png_get_valid(png, info, PNG_INFO_tRNS) != 0;
  png_set_expand(png);  // palette → RGB, gray below 8 bits → 8 bits, tRNS → alpha
  if (png_get_bit_depth(png, info) == 16) png_set_strip_16(png);
  if (step.channels == 1 && has_color) {
    // ITU-R BT.601 luma (as JPEG's Y and Pillow's "L"), so both formats agree; no gamma is applied.
    png_set_rgb_to_gray_fixed(png, PNG_ERROR_ACTION_NONE, 29900, 58700);
  }
  if (step.channels != 1 && !has_color) png_set_gray_to_rgb(png);
  if (step.channels == 4 && !has_alpha) png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
  if (step.channels != 4 && has_alpha) png_set_strip_alpha(png);
  const int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  const size_t row_bytes = static_cast<size_t>(step.header.width) * step.channels;
  if (png_get_rowbytes(png, info) != row_bytes || png_get_bit_depth(png, info) != 8 ||
      png_get_channels(png, info) != step.channels) {
    png_error(png, "libpng's output layout differs from the requested one");
  }
  // Each pass writes its pixels in place, so the rows of the caller's buffer need no copy.
  for (int pass = 0; pass < passes; ++pass) {
    for (int32_t y = 0; y < step.header.height; ++y) {
      png_read_row(png, step.out + static_cast<size_t>(y) * row_bytes, nullptr);
    }
  }
  png_read_end(png, nullptr);  // the chunks after the image data, up to IEND, must be intact too
}

struct PngEncodeStep {
  PngWrite* write;
  const uint8_t* pixels;
  int32_t width;
  int32_t height;
  int32_t channels;
  int32_t level;
};

void write_png(void* context) {
  auto& step = *static_cast<PngEncodeStep*>(context);
  png_structp png = step.write->png;
  png_infop info = step.write->info;
  const int color = step.channels == 1   ? PNG_COLOR_TYPE_GRAY
                    : step.channels == 3 ? PNG_COLOR_TYPE_RGB
                                         : PNG_COLOR_TYPE_RGB_ALPHA;
  png_set_IHDR(png, info, static_cast<png_uint_32>(step.width),
               static_cast<png_uint_32>(step.height), 8, color, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level(png, step.level);
  png_write_info(png, info);
  const size_t row_bytes = static_cast<size_t>(step.width) * step.channels;
  for (int32_t y = 0; y < step.height; ++y) {
    png_write_row(png, step.pixels + static_cast<size_t>(y) * row_bytes);
  }
  png_write_end(png, info);
}

Header read_header(PngReadGuard& guard) {
  PngHeaderStep step{&guard.state(), {}};
  if (!run_png(guard.state().png, read_png_header, &step)) guard.fail();
  return step.header;
}

}  // namespace

Header png_probe(Input in) {
  PngReadGuard guard(in);
  return read_header(guard);
}

void png_decode(Input in, int32_t channels, int64_t max_pixels, uint8_t* out, int64_t out_length) {
  PngReadGuard guard(in);
  PngPixelsStep step{&guard.state(), read_header(guard), channels, out};
  check_size(step.header, max_pixels);
  check_output(step.header, channels, out, out_length);
  if (!run_png(guard.state().png, read_png_pixels, &step)) guard.fail();
}

uint8_t* png_encode(const uint8_t* pixels, int32_t width, int32_t height, int32_t channels,
                    int32_t level, size_t* size) {
  PngWriteGuard guard;
  PngEncodeStep step{&guard.state(), pixels, width, height, channels, level};
  if (!run_png(guard.state().png, write_png, &step)) guard.fail();
  *size = guard.state().size;
  return guard.release();
}

}  // namespace mlnf::image
