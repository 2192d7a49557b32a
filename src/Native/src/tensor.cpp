// tensor.cpp — tensor handles: ownership, creation, metadata, data transfer, autograd, in-place updates.
#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>

#include <atomic>
#include <cstring>

#include "common.h"

namespace {

std::atomic<int64_t> live_tensors{0};

at::MemoryFormat memory_format_of(int32_t code) {
  switch (code) {
    case 0:
      return at::MemoryFormat::Contiguous;
    case 1:
      return at::MemoryFormat::ChannelsLast;
    default:
      throw std::invalid_argument("unknown memory format code " + std::to_string(code) +
                                  " (0 contiguous, 1 channels-last)");
  }
}

}  // namespace

namespace mlnf {

mlnf_tensor wrap(at::Tensor tensor) {
  if (!tensor.defined()) throw std::runtime_error("the operation returned an undefined tensor");
  auto* handle = new mlnf_tensor_t{std::move(tensor)};
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return handle;
}

int64_t live_tensor_count() noexcept { return live_tensors.load(std::memory_order_relaxed); }

c10::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index) {
  const auto type = static_cast<c10::DeviceType>(device_type);
  if (type != c10::DeviceType::CPU && type != c10::DeviceType::CUDA) {
    throw std::invalid_argument("unsupported device type code " + std::to_string(device_type));
  }
  const auto device = c10::Device(type, static_cast<c10::DeviceIndex>(device_index));
  return c10::TensorOptions().dtype(static_cast<c10::ScalarType>(dtype)).device(device);
}

}  // namespace mlnf

using mlnf::int_array;
using mlnf::unwrap;

extern "C" {

int32_t mlnf_tensor_free(mlnf_tensor t) {
  try {
    if (t == nullptr) return MLNF_OK;
    delete t;
    live_tensors.fetch_sub(1, std::memory_order_relaxed);
    return MLNF_OK;
  }
  MLNF_CATCH(MLNF_ERROR)
}

mlnf_tensor mlnf_tensor_from_data(const void* data, int64_t byte_count, const int64_t* shape, int32_t ndim,
                                  int32_t dtype, int32_t device_type, int32_t device_index) {
  MLNF_RETURN_TENSOR(([&] {
    const auto target = mlnf::options(dtype, device_type, device_index);
    auto cpu = at::empty(int_array(shape, ndim), target.device(c10::kCPU));
    const auto expected = static_cast<int64_t>(cpu.nbytes());
    if (byte_count != expected) {
      throw std::invalid_argument("data holds " + std::to_string(byte_count) + " bytes but shape " +
                                  c10::str(cpu.sizes()) + " of " + std::string(c10::toString(cpu.scalar_type())) +
                                  " needs " + std::to_string(expected));
    }
    if (expected > 0) {
      if (data == nullptr) throw std::invalid_argument("data pointer is null");
      std::memcpy(cpu.data_ptr(), data, static_cast<size_t>(expected));
    }
    return target.device().is_cpu() ? cpu : cpu.to(target.device());
  }()))
}

mlnf_tensor mlnf_tensor_full(const int64_t* shape, int32_t ndim, double value, int32_t dtype,
                             int32_t device_type, int32_t device_index) {
  MLNF_RETURN_TENSOR(at::full(int_array(shape, ndim), value, mlnf::options(dtype, device_type, device_index)))
}

mlnf_tensor mlnf_tensor_randn(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t device_type,
                              int32_t device_index) {
  MLNF_RETURN_TENSOR(at::randn(int_array(shape, ndim), mlnf::options(dtype, device_type, device_index)))
}

mlnf_tensor mlnf_tensor_rand(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t device_type,
                             int32_t device_index) {
  MLNF_RETURN_TENSOR(at::rand(int_array(shape, ndim), mlnf::options(dtype, device_type, device_index)))
}

mlnf_tensor mlnf_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int32_t ndim,
                                int32_t device_type, int32_t device_index) {
  MLNF_RETURN_TENSOR(at::randint(low, high, int_array(shape, ndim),
                                 mlnf::options(static_cast<int32_t>(c10::kLong), device_type, device_index)))
}

mlnf_tensor mlnf_tensor_randperm(int64_t n, int32_t device_type, int32_t device_index) {
  MLNF_RETURN_TENSOR(at::randperm(n, mlnf::options(static_cast<int32_t>(c10::kLong), device_type, device_index)))
}

mlnf_tensor mlnf_tensor_arange(double start, double end, double step, int32_t dtype, int32_t device_type,
                               int32_t device_index) {
  MLNF_RETURN_TENSOR(at::arange(start, end, step, mlnf::options(dtype, device_type, device_index)))
}

mlnf_tensor mlnf_tensor_eye(int64_t n, int64_t m, int32_t dtype, int32_t device_type, int32_t device_index) {
  MLNF_RETURN_TENSOR(at::eye(n, m, mlnf::options(dtype, device_type, device_index)))
}

int32_t mlnf_tensor_copy_to(mlnf_tensor t, void* destination, int64_t byte_count) {
  MLNF_RETURN_STATUS({
    const auto cpu = unwrap(t).detach().to(c10::kCPU).contiguous();
    const auto size = static_cast<int64_t>(cpu.nbytes());
    if (byte_count != size) {
      throw std::invalid_argument("destination holds " + std::to_string(byte_count) + " bytes but the tensor has " +
                                  std::to_string(size));
    }
    if (size > 0) std::memcpy(destination, cpu.data_ptr(), static_cast<size_t>(size));
  })
}

int32_t mlnf_tensor_item(mlnf_tensor t, double* value) {
  MLNF_RETURN_STATUS(*value = unwrap(t).item<double>())
}

int32_t mlnf_tensor_ndim(mlnf_tensor t) {
  try {
    return static_cast<int32_t>(unwrap(t).dim());
  }
  MLNF_CATCH(MLNF_ERROR)
}

int32_t mlnf_tensor_shape(mlnf_tensor t, int64_t* sizes, int32_t capacity) {
  try {
    const auto shape = unwrap(t).sizes();
    const auto ndim = static_cast<int32_t>(shape.size());
    for (int32_t i = 0; i < ndim && i < capacity; ++i) sizes[i] = shape[i];
    return ndim;
  }
  MLNF_CATCH(MLNF_ERROR)
}

int32_t mlnf_tensor_dtype(mlnf_tensor t) {
  try {
    return static_cast<int32_t>(unwrap(t).scalar_type());
  }
  MLNF_CATCH(MLNF_ERROR)
}

int32_t mlnf_tensor_device(mlnf_tensor t, int32_t* device_type, int32_t* device_index) {
  MLNF_RETURN_STATUS({
    const auto device = unwrap(t).device();
    *device_type = static_cast<int32_t>(device.type());
    *device_index = device.index();
  })
}

mlnf_tensor mlnf_tensor_to(mlnf_tensor t, int32_t dtype, int32_t device_type, int32_t device_index) {
  MLNF_RETURN_TENSOR(unwrap(t).to(mlnf::options(dtype, device_type, device_index)))
}

mlnf_tensor mlnf_tensor_clone(mlnf_tensor t) { MLNF_RETURN_TENSOR(unwrap(t).clone()) }
mlnf_tensor mlnf_tensor_detach(mlnf_tensor t) { MLNF_RETURN_TENSOR(unwrap(t).detach()) }
mlnf_tensor mlnf_tensor_contiguous(mlnf_tensor t, int32_t memory_format) {
  MLNF_RETURN_TENSOR(unwrap(t).contiguous(memory_format_of(memory_format)))
}

int32_t mlnf_tensor_is_contiguous(mlnf_tensor t, int32_t memory_format) {
  try {
    return unwrap(t).is_contiguous(memory_format_of(memory_format)) ? 1 : 0;
  }
  MLNF_CATCH(MLNF_ERROR)
}
mlnf_tensor mlnf_tensor_alias(mlnf_tensor t) { MLNF_RETURN_TENSOR(unwrap(t)) }

int32_t mlnf_tensor_requires_grad(mlnf_tensor t) {
  try {
    return unwrap(t).requires_grad() ? 1 : 0;
  }
  MLNF_CATCH(MLNF_ERROR)
}

int32_t mlnf_tensor_set_requires_grad(mlnf_tensor t, int32_t requires_grad) {
  MLNF_RETURN_STATUS(unwrap(t).set_requires_grad(requires_grad != 0))
}

int32_t mlnf_tensor_grad(mlnf_tensor t, mlnf_tensor* grad) {
  MLNF_RETURN_STATUS({
    const auto& g = unwrap(t).grad();
    *grad = g.defined() ? mlnf::wrap(g) : nullptr;
  })
}

int32_t mlnf_tensor_reset_grad(mlnf_tensor t) { MLNF_RETURN_STATUS(unwrap(t).mutable_grad().reset()) }

int32_t mlnf_tensor_backward(mlnf_tensor t, mlnf_tensor gradient, int32_t retain_graph) {
  MLNF_RETURN_STATUS({
    const auto& root = unwrap(t);
    const at::Tensor seed = gradient != nullptr ? gradient->value : at::Tensor();
    root.backward(seed, retain_graph != 0);
  })
}

int32_t mlnf_tensor_copy_(mlnf_tensor t, mlnf_tensor source) {
  MLNF_RETURN_STATUS(unwrap(t).copy_(unwrap(source)))
}

int32_t mlnf_tensor_set_data(mlnf_tensor t, mlnf_tensor source) {
  MLNF_RETURN_STATUS(unwrap(t).set_data(unwrap(source)))
}

int32_t mlnf_tensor_fill_(mlnf_tensor t, double value) { MLNF_RETURN_STATUS(unwrap(t).fill_(value)) }

int32_t mlnf_tensor_uniform_(mlnf_tensor t, double low, double high) {
  MLNF_RETURN_STATUS(unwrap(t).uniform_(low, high))
}

int32_t mlnf_tensor_normal_(mlnf_tensor t, double mean, double std) {
  MLNF_RETURN_STATUS(unwrap(t).normal_(mean, std))
}

int32_t mlnf_tensor_add_(mlnf_tensor t, mlnf_tensor other, double alpha) {
  MLNF_RETURN_STATUS(unwrap(t).add_(unwrap(other), alpha))
}

int32_t mlnf_tensor_mul_scalar_(mlnf_tensor t, double value) { MLNF_RETURN_STATUS(unwrap(t).mul_(value)) }

int32_t mlnf_tensor_relu_(mlnf_tensor t) { MLNF_RETURN_STATUS(unwrap(t).relu_()) }

int32_t mlnf_tensor_addcmul_(mlnf_tensor t, mlnf_tensor a, mlnf_tensor b, double value) {
  MLNF_RETURN_STATUS(unwrap(t).addcmul_(unwrap(a), unwrap(b), value))
}

int32_t mlnf_tensor_addcdiv_(mlnf_tensor t, mlnf_tensor a, mlnf_tensor b, double value) {
  MLNF_RETURN_STATUS(unwrap(t).addcdiv_(unwrap(a), unwrap(b), value))
}

}  // extern "C"
