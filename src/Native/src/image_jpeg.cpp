// image_jpeg.cpp — JPEG decoding through libjpeg-turbo's TurboJPEG API (no codec written here, no
// libtorch). TurboJPEG catches libjpeg's longjmp itself and reports a status and a message.
#include <turbojpeg.h>

#include <stdexcept>
#include <string>

#include "image_codec.h"

namespace mlnf::image {
namespace {

class TjDecompressor {
 public:
  TjDecompressor() : handle_(tjInitDecompress()) {
    if (handle_ == nullptr) {
      throw std::runtime_error(std::string("libjpeg-turbo could not create a decompressor: ") +
                               tjGetErrorStr2(nullptr));
    }
    ++live_count;
  }
  ~TjDecompressor() {
    tjDestroy(handle_);
    --live_count;
  }
  TjDecompressor(const TjDecompressor&) = delete;
  TjDecompressor& operator=(const TjDecompressor&) = delete;

  tjhandle get() const { return handle_; }
  [[noreturn]] void fail() const {
    throw std::runtime_error(std::string("invalid JPEG: ") + tjGetErrorStr2(handle_));
  }

 private:
  tjhandle handle_;
};

Header read_header(const TjDecompressor& jpeg, Input in) {
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(jpeg.get(), in.data, in.length, &width, &height, &subsampling,
                          &colorspace) != 0) {
    jpeg.fail();
  }
  // libjpeg-turbo reports success, and no size, for data that ends (or reaches EOI) before a frame.
  if (width == 0 || height == 0) {
    throw std::runtime_error("invalid JPEG: the data ends before the frame header (SOF)");
  }
  const int32_t channels =
      colorspace == TJCS_GRAY ? 1 : (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK ? 4 : 3);
  return {kFormatJpeg, width, height, channels};
}

}  // namespace

Header jpeg_probe(Input in) {
  TjDecompressor jpeg;
  return read_header(jpeg, in);
}

void jpeg_decode(Input in, int32_t channels, int64_t max_pixels, uint8_t* out, int64_t out_length) {
  TjDecompressor jpeg;
  const Header header = read_header(jpeg, in);
  check_size(header, max_pixels);
  check_output(header, channels, out, out_length);
  const int format = channels == 1 ? TJPF_GRAY : channels == 3 ? TJPF_RGB : TJPF_RGBA;
  // Accurate IDCT for reproducible pixels; a warning (truncated or corrupt scan data) is a failure.
  if (tjDecompress2(jpeg.get(), in.data, in.length, out, header.width, header.width * channels,
                    header.height, format, TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING) != 0) {
    jpeg.fail();
  }
}

}  // namespace mlnf::image
