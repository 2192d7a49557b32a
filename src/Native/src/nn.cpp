// nn.cpp — neural-network functionals, losses, parameter initialisers and gradient clipping.
#include <ATen/ATen.h>
#include <torch/csrc/api/include/torch/nn/init.h>
#include <torch/csrc/api/include/torch/nn/utils/clip_grad.h>

#include <vector>

#include "common.h"

using mlnf::optional;
using mlnf::unwrap;

namespace {

int64_t reduction(int32_t code) {
  if (code < 0 || code > 2) throw std::invalid_argument("unknown reduction code " + std::to_string(code));
  return code;  // at::Reduction::None = 0, Mean = 1, Sum = 2
}

}  // namespace

extern "C" {

mlnf_tensor mlnf_nn_conv2d(mlnf_tensor input, mlnf_tensor weight, mlnf_tensor bias, int64_t stride_h,
                           int64_t stride_w, int64_t padding_h, int64_t padding_w, int64_t dilation_h,
                           int64_t dilation_w, int64_t groups) {
  MLNF_RETURN_TENSOR(at::conv2d(unwrap(input), unwrap(weight), optional(bias), {stride_h, stride_w},
                                {padding_h, padding_w}, {dilation_h, dilation_w}, groups))
}

mlnf_tensor mlnf_nn_conv_transpose2d(mlnf_tensor input, mlnf_tensor weight, mlnf_tensor bias, int64_t stride_h,
                                     int64_t stride_w, int64_t padding_h, int64_t padding_w,
                                     int64_t output_padding_h, int64_t output_padding_w, int64_t dilation_h,
                                     int64_t dilation_w, int64_t groups) {
  MLNF_RETURN_TENSOR(at::conv_transpose2d(unwrap(input), unwrap(weight), optional(bias), {stride_h, stride_w},
                                          {padding_h, padding_w}, {output_padding_h, output_padding_w}, groups,
                                          {dilation_h, dilation_w}))
}

mlnf_tensor mlnf_nn_linear(mlnf_tensor input, mlnf_tensor weight, mlnf_tensor bias) {
  MLNF_RETURN_TENSOR(at::linear(unwrap(input), unwrap(weight), optional(bias)))
}

mlnf_tensor mlnf_nn_batch_norm(mlnf_tensor input, mlnf_tensor weight, mlnf_tensor bias, mlnf_tensor running_mean,
                               mlnf_tensor running_var, int32_t training, double momentum, double eps) {
  MLNF_RETURN_TENSOR(at::batch_norm(unwrap(input), optional(weight), optional(bias), optional(running_mean),
                                    optional(running_var), training != 0, momentum, eps,
                                    at::globalContext().userEnabledCuDNN()))
}

mlnf_tensor mlnf_nn_dropout(mlnf_tensor input, double p, int32_t training) {
  MLNF_RETURN_TENSOR(at::dropout(unwrap(input), p, training != 0))
}

mlnf_tensor mlnf_nn_softmax(mlnf_tensor input, int64_t dim) { MLNF_RETURN_TENSOR(unwrap(input).softmax(dim)) }

mlnf_tensor mlnf_nn_log_softmax(mlnf_tensor input, int64_t dim) {
  MLNF_RETURN_TENSOR(unwrap(input).log_softmax(dim))
}

mlnf_tensor mlnf_nn_cross_entropy(mlnf_tensor logits, mlnf_tensor target, int32_t reduction_code) {
  MLNF_RETURN_TENSOR(at::cross_entropy_loss(unwrap(logits), unwrap(target), {}, reduction(reduction_code)))
}

mlnf_tensor mlnf_nn_binary_cross_entropy_with_logits(mlnf_tensor logits, mlnf_tensor target,
                                                     int32_t reduction_code) {
  MLNF_RETURN_TENSOR(
      at::binary_cross_entropy_with_logits(unwrap(logits), unwrap(target), {}, {}, reduction(reduction_code)))
}

mlnf_tensor mlnf_nn_mse_loss(mlnf_tensor input, mlnf_tensor target, int32_t reduction_code) {
  MLNF_RETURN_TENSOR(at::mse_loss(unwrap(input), unwrap(target), reduction(reduction_code)))
}

mlnf_tensor mlnf_nn_one_hot(mlnf_tensor indices, int64_t num_classes) {
  MLNF_RETURN_TENSOR(at::one_hot(unwrap(indices), num_classes))
}

mlnf_tensor mlnf_nn_avg_pool2d(mlnf_tensor input, int64_t kernel_h, int64_t kernel_w, int64_t stride_h,
                               int64_t stride_w, int64_t padding_h, int64_t padding_w) {
  MLNF_RETURN_TENSOR(
      at::avg_pool2d(unwrap(input), {kernel_h, kernel_w}, {stride_h, stride_w}, {padding_h, padding_w}))
}

mlnf_tensor mlnf_nn_interpolate(mlnf_tensor input, int64_t height, int64_t width, int32_t mode) {
  MLNF_RETURN_TENSOR(([&] {
    const auto& x = unwrap(input);
    switch (mode) {
      case 0: return at::upsample_nearest2d(x, {height, width});
      case 1: return at::upsample_bilinear2d(x, {height, width}, false);
      default: throw std::invalid_argument("unknown interpolation mode code " + std::to_string(mode));
    }
  }()))
}

int32_t mlnf_nn_init_xavier_uniform_(mlnf_tensor t, double gain) {
  MLNF_RETURN_STATUS(torch::nn::init::xavier_uniform_(unwrap(t), gain))
}

int32_t mlnf_nn_init_kaiming_uniform_(mlnf_tensor t, double a) {
  MLNF_RETURN_STATUS(torch::nn::init::kaiming_uniform_(unwrap(t), a))
}

int32_t mlnf_nn_init_kaiming_normal_(mlnf_tensor t, double a) {
  MLNF_RETURN_STATUS(torch::nn::init::kaiming_normal_(unwrap(t), a))
}

int32_t mlnf_nn_init_orthogonal_(mlnf_tensor t, double gain) {
  MLNF_RETURN_STATUS(torch::nn::init::orthogonal_(unwrap(t), gain))
}

int32_t mlnf_nn_clip_grad_norm_(const mlnf_tensor* params, int32_t count, double max_norm, double* total_norm) {
  MLNF_RETURN_STATUS({
    std::vector<at::Tensor> list;
    list.reserve(static_cast<size_t>(count > 0 ? count : 0));
    for (int32_t i = 0; i < count; ++i) list.push_back(unwrap(params[i]));
    *total_norm = torch::nn::utils::clip_grad_norm_(list, max_norm);
  })
}

}  // extern "C"
