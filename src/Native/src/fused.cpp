// fused.cpp — inference-only fused kernels through oneDNN (the library libtorch's own CPU convolutions call).
//
// A chain of stride-1 "same" convolutions with ReLU between them — the subnetwork of Glow/RealNVP/cINN couplings —
// run as oneDNN primitives on channels-last (nhwc) activations. Compared with at::conv2d on NCHW tensors this
// drops, per hidden layer, the two reorders between NCHW and oneDNN's blocked layout and the separate ReLU pass
// (oneDNN applies it as a post-op while the convolution's output is still in cache). The outputs are ordinary
// channels-last ATen tensors, so the rest of the model reads them without a copy.
#include <ATen/ATen.h>
#include <dnnl.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "common.h"

namespace {

using dims = dnnl::memory::dims;
using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

const dnnl::engine& cpu_engine() {
  static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

// One convolution layer's primitive for one problem size (batch, channels, side, kernel, post-op).
struct conv_layer {
  dnnl::convolution_forward::primitive_desc descriptor;
  dnnl::convolution_forward primitive;
};

using layer_key = std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, bool>;

// Primitive descriptors cost tens of microseconds to create (implementation dispatch); a coupling network calls the
// same few shapes thousands of times, so they are kept. The cache is bounded: past 256 shapes it starts afresh.
class layer_cache {
 public:
  std::shared_ptr<const conv_layer> get(const layer_key& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = layers_.find(key);
    if (found != layers_.end()) return found->second;
    if (layers_.size() >= 256) layers_.clear();  // layers in use elsewhere live on through their shared_ptr
    return layers_.emplace(key, create(key)).first->second;
  }

 private:
  static std::shared_ptr<const conv_layer> create(const layer_key& key) {
    const auto [batch, in_channels, height, width, out_channels, kernel, relu] = key;
    const int64_t pad = kernel / 2;
    dnnl::memory::desc source({batch, in_channels, height, width}, dt::f32, tag::nhwc);
    dnnl::memory::desc weights({out_channels, in_channels, kernel, kernel}, dt::f32, tag::any);
    dnnl::memory::desc bias({out_channels}, dt::f32, tag::x);
    dnnl::memory::desc destination({batch, out_channels, height, width}, dt::f32, tag::nhwc);
    dnnl::primitive_attr attributes;
    attributes.set_scratchpad_mode(dnnl::scratchpad_mode::user);  // one scratchpad per call: safe across threads
    if (relu) {
      dnnl::post_ops post;
      post.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
      attributes.set_post_ops(post);
    }
    dnnl::convolution_forward::desc operation(dnnl::prop_kind::forward_inference,
                                              dnnl::algorithm::convolution_direct, source, weights, bias,
                                              destination, {1, 1}, {pad, pad}, {pad, pad});
    dnnl::convolution_forward::primitive_desc descriptor(operation, attributes, cpu_engine());
    return std::make_shared<const conv_layer>(conv_layer{descriptor, dnnl::convolution_forward(descriptor)});
  }

  std::mutex mutex_;
  std::map<layer_key, std::shared_ptr<const conv_layer>> layers_;
};

layer_cache& layers() {
  static layer_cache cache;
  return cache;
}

void check_float_cpu(const at::Tensor& t, const char* what, size_t index) {
  if (!t.defined() || t.device().type() != c10::DeviceType::CPU || t.scalar_type() != at::kFloat) {
    throw std::invalid_argument(std::string("conv2d_relu_chain: ") + what + " " + std::to_string(index) +
                                " must be a float32 CPU tensor (the fused path is CPU float32 only; use conv2d "
                                "and relu elsewhere)");
  }
  if (t.requires_grad() && at::GradMode::is_enabled()) {
    throw std::invalid_argument(std::string("conv2d_relu_chain: ") + what + " " + std::to_string(index) +
                                " requires grad; the fused path is inference-only: run it under no_grad or "
                                "inference mode, or use conv2d and relu to train");
  }
}

// Runs one layer: source [N, C, H, W] channels-last → new channels-last [N, C_out, H, W].
at::Tensor run_layer(const at::Tensor& source, const at::Tensor& weight, const at::Tensor& bias, bool relu,
                     size_t index) {
  if (weight.dim() != 4 || weight.size(1) != source.size(1) || weight.size(3) != weight.size(2) ||
      weight.size(2) % 2 == 0) {
    throw std::invalid_argument("conv2d_relu_chain: weight " + std::to_string(index) + " must be [C_out, " +
                                std::to_string(source.size(1)) + ", k, k] with odd k, got " +
                                c10::str(weight.sizes()));
  }
  const int64_t out_channels = weight.size(0), kernel = weight.size(2);
  if (bias.dim() != 1 || bias.size(0) != out_channels) {
    throw std::invalid_argument("conv2d_relu_chain: bias " + std::to_string(index) + " must be [" +
                                std::to_string(out_channels) + "], got " + c10::str(bias.sizes()));
  }
  const auto layer_ptr = layers().get(
      {source.size(0), source.size(1), source.size(2), source.size(3), out_channels, kernel, relu});
  const conv_layer& layer = *layer_ptr;
  const auto& engine = cpu_engine();
  dnnl::stream stream(engine);

  const at::Tensor plain_weight = weight.contiguous();
  const at::Tensor plain_bias = bias.contiguous();
  dnnl::memory user_weights({{out_channels, source.size(1), kernel, kernel}, dt::f32, tag::oihw}, engine,
                            plain_weight.data_ptr());
  dnnl::memory weights = user_weights;
  at::Tensor weights_storage;
  if (layer.descriptor.weights_desc() != user_weights.get_desc()) {
    weights_storage = at::empty({static_cast<int64_t>(layer.descriptor.weights_desc().get_size())},
                                source.options().dtype(at::kByte));
    weights = dnnl::memory(layer.descriptor.weights_desc(), engine, weights_storage.data_ptr());
    dnnl::reorder(user_weights, weights).execute(stream, user_weights, weights);
  }

  auto destination = at::empty({source.size(0), out_channels, source.size(2), source.size(3)},
                               source.options().memory_format(at::MemoryFormat::ChannelsLast));
  auto scratch = at::empty({static_cast<int64_t>(layer.descriptor.scratchpad_desc().get_size())},
                           source.options().dtype(at::kByte));
  dnnl::memory source_memory(layer.descriptor.src_desc(), engine, source.data_ptr());
  dnnl::memory bias_memory(layer.descriptor.bias_desc(), engine, plain_bias.data_ptr());
  dnnl::memory destination_memory(layer.descriptor.dst_desc(), engine, destination.data_ptr());
  std::unordered_map<int, dnnl::memory> arguments{{DNNL_ARG_SRC, source_memory},
                                                  {DNNL_ARG_WEIGHTS, weights},
                                                  {DNNL_ARG_BIAS, bias_memory},
                                                  {DNNL_ARG_DST, destination_memory}};
  if (scratch.numel() > 0) {
    arguments.emplace(DNNL_ARG_SCRATCHPAD,
                      dnnl::memory(layer.descriptor.scratchpad_desc(), engine, scratch.data_ptr()));
  }
  layer.primitive.execute(stream, arguments);
  stream.wait();
  return destination;
}

at::Tensor conv2d_relu_chain(const at::Tensor& input, const mlnf_tensor* weights, const mlnf_tensor* biases,
                             int32_t count) {
  if (count < 1 || weights == nullptr || biases == nullptr) {
    throw std::invalid_argument("conv2d_relu_chain: needs at least one (weight, bias) layer");
  }
  check_float_cpu(input, "input", 0);
  if (input.dim() != 4) {
    throw std::invalid_argument("conv2d_relu_chain: input must be [N, C, H, W], got " + c10::str(input.sizes()));
  }
  at::Tensor h = input.contiguous(at::MemoryFormat::ChannelsLast);
  for (int32_t i = 0; i < count; i++) {
    const auto& weight = mlnf::unwrap(weights[i]);
    const auto& bias = mlnf::unwrap(biases[i]);
    check_float_cpu(weight, "weight", static_cast<size_t>(i));
    check_float_cpu(bias, "bias", static_cast<size_t>(i));
    h = run_layer(h, weight, bias, /*relu=*/i + 1 < count, static_cast<size_t>(i));
  }
  return h;
}

}  // namespace

extern "C" {

mlnf_tensor mlnf_nn_conv2d_relu_chain(mlnf_tensor input, const mlnf_tensor* weights, const mlnf_tensor* biases,
                                      int32_t count) {
  MLNF_RETURN_TENSOR(conv2d_relu_chain(mlnf::unwrap(input), weights, biases, count))
}

}  // extern "C"
