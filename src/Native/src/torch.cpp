// torch.cpp — process-wide runtime settings, devices and autograd modes.
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/api/include/torch/cuda.h>
#include <torch/csrc/api/include/torch/version.h>

#include <cstring>

#include "common.h"

struct mlnf_guard_t {
  c10::InferenceMode mode;
};

extern "C" {

int32_t mlnf_torch_version(char* buffer, int32_t capacity) {
  try {
    const char* version = TORCH_VERSION;
    const auto length = static_cast<int32_t>(std::strlen(version));
    if (buffer != nullptr && capacity > length) std::memcpy(buffer, version, length + 1);
    return length;
  }
  MLNF_CATCH(MLNF_ERROR)
}

int32_t mlnf_torch_manual_seed(uint64_t seed) { MLNF_RETURN_STATUS(at::manual_seed(seed)) }

int32_t mlnf_torch_set_num_threads(int32_t threads) {
  MLNF_RETURN_STATUS({
    if (threads < 1) throw std::invalid_argument("thread count must be at least 1");
    at::set_num_threads(threads);
  })
}

int32_t mlnf_torch_get_num_threads(void) {
  try {
    return at::get_num_threads();
  }
  MLNF_CATCH(MLNF_ERROR)
}

int32_t mlnf_torch_set_flush_denormal(int32_t enabled) {
  try {
    return at::globalContext().setFlushDenormal(enabled != 0) ? 1 : 0;
  }
  MLNF_CATCH(MLNF_ERROR)
}

int32_t mlnf_torch_cuda_is_available(void) {
  try {
    return torch::cuda::is_available() ? 1 : 0;
  }
  MLNF_CATCH(MLNF_ERROR)
}

int32_t mlnf_torch_cuda_device_count(void) {
  try {
    return static_cast<int32_t>(torch::cuda::device_count());
  }
  MLNF_CATCH(MLNF_ERROR)
}

int64_t mlnf_torch_live_tensor_count(void) { return mlnf::live_tensor_count(); }

int32_t mlnf_torch_is_grad_enabled(void) { return at::GradMode::is_enabled() ? 1 : 0; }

int32_t mlnf_torch_set_grad_enabled(int32_t enabled) {
  try {
    const bool previous = at::GradMode::is_enabled();
    at::GradMode::set_enabled(enabled != 0);
    return previous ? 1 : 0;
  }
  MLNF_CATCH(MLNF_ERROR)
}

mlnf_guard mlnf_torch_inference_mode_enter(void) {
  try {
    return new mlnf_guard_t{};
  }
  MLNF_CATCH(nullptr)
}

int32_t mlnf_torch_guard_free(mlnf_guard guard) { MLNF_RETURN_STATUS(delete guard) }

}  // extern "C"
