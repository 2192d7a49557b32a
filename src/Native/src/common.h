// common.h — internal helpers shared by the shim's translation units (never installed).
//
// The guard macros below are the only way an export body is written: they catch libtorch's
// c10::Error (keeping its message without the C++ backtrace), then std::exception, then anything,
// store the message for mlnf_error_take(), and return the failure value of the export.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "errors.h"
#include "mlnf.h"

struct mlnf_tensor_t {
  at::Tensor value;
};

namespace mlnf {

// Takes ownership of a result tensor; an undefined result is an error, not a silent NULL.
mlnf_tensor wrap(at::Tensor tensor);

// Number of tensor handles created by wrap() and not yet freed (leak detection).
int64_t live_tensor_count() noexcept;

inline const at::Tensor& unwrap(mlnf_tensor handle) {
  if (handle == nullptr) throw std::invalid_argument("a required tensor argument is null");
  return handle->value;
}

inline c10::optional<at::Tensor> optional(mlnf_tensor handle) {
  if (handle == nullptr) return c10::nullopt;
  return handle->value;
}

inline at::IntArrayRef int_array(const int64_t* values, int32_t count) {
  if (count < 0 || (count > 0 && values == nullptr)) {
    throw std::invalid_argument("invalid integer array argument (null pointer or negative length)");
  }
  return at::IntArrayRef(values, static_cast<size_t>(count));
}

c10::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index);

}  // namespace mlnf

#define MLNF_CATCH(failure)                                      \
  catch (const c10::Error& e) {                                  \
    ::mlnf::set_error(e.what_without_backtrace());               \
  }                                                              \
  catch (const std::exception& e) {                              \
    ::mlnf::set_error(e.what());                                 \
  }                                                              \
  catch (...) {                                                  \
    ::mlnf::set_error("unknown native exception in libtorch");   \
  }                                                              \
  return failure;

// Body of an export returning a new tensor handle.
#define MLNF_RETURN_TENSOR(expression) \
  try {                                \
    return ::mlnf::wrap(expression);   \
  }                                    \
  MLNF_CATCH(nullptr)

// Body of an export returning a status code; `statements` run inside the guard.
#define MLNF_RETURN_STATUS(statements) \
  try {                                \
    statements;                        \
    return MLNF_OK;                    \
  }                                    \
  MLNF_CATCH(MLNF_ERROR)
