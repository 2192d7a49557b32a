// errors.h — the failure-message half of the shim's error convention, free of libtorch headers, so
// that translation units that do not touch libtorch (image.cpp) compile without ATen. common.h
// includes it.
#pragma once

#include <exception>

#include "mlnf.h"

namespace mlnf {

// Stores this thread's failure message for mlnf_error_take().
void set_error(const char* message) noexcept;

}  // namespace mlnf

// Guard for export bodies that never call libtorch: std::exception, then anything; stores the
// message and returns the export's failure value. (Exports that call libtorch use MLNF_CATCH from
// common.h.)
#define MLNF_CATCH_STD(failure)                    \
  catch (const std::exception& e) {                \
    ::mlnf::set_error(e.what());                   \
  }                                                \
  catch (...) {                                    \
    ::mlnf::set_error("unknown native exception"); \
  }                                                \
  return failure;
