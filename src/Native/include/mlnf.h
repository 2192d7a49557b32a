/*
 * mlnf.h — the flat C API of libMLNetFlowsNative.so, a narrow shim over libtorch.
 *
 * Every export is declared here, prefixed by its area, and implemented in the source file of the
 * same area (src/<area>.cpp); the managed binding mirrors each area in src/Torch/Interop/Native.<Area>.cs.
 *
 * Conventions (the whole boundary follows them, no exception):
 *  - Only opaque handles, fixed-width integers, doubles, pointer+length pairs and status codes cross.
 *  - No C++ exception ever crosses: every body is guarded. On failure an export returns NULL (handle
 *    results) or MLNF_ERROR (status results) and stores a thread-local message, which the caller takes
 *    with mlnf_error_take() on the same thread and frees with mlnf_string_free().
 *  - A returned tensor handle is owned by the caller and released with mlnf_tensor_free().
 *  - Optional tensor arguments are NULL when absent.
 *  - dtype codes are c10::ScalarType values: 0 uint8, 3 int32, 4 int64, 6 float32, 7 float64, 11 bool.
 *  - device_type codes are c10::DeviceType values: 0 CPU, 1 CUDA; device_index -1 means "current".
 */
#ifndef MLNF_H
#define MLNF_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MLNF_API __attribute__((visibility("default")))
#define MLNF_OK 0
#define MLNF_ERROR (-1)

typedef struct mlnf_tensor_t* mlnf_tensor;
typedef struct mlnf_optimizer_t* mlnf_optimizer;
typedef struct mlnf_guard_t* mlnf_guard;

/* ---- error.cpp ------------------------------------------------------------------------------ */
/* The message of this thread's last failure (malloc'ed, caller frees), or NULL if none. */
MLNF_API char* mlnf_error_take(void);
MLNF_API void mlnf_string_free(char* message);

/* ---- torch.cpp: runtime, devices, autograd modes -------------------------------------------- */
MLNF_API int32_t mlnf_torch_version(char* buffer, int32_t capacity);
MLNF_API int32_t mlnf_torch_manual_seed(uint64_t seed);
MLNF_API int32_t mlnf_torch_set_num_threads(int32_t threads);
MLNF_API int32_t mlnf_torch_get_num_threads(void);
/* Returns 1 when the CPU supports flushing denormals (and the setting took effect), 0 otherwise. */
MLNF_API int32_t mlnf_torch_set_flush_denormal(int32_t enabled);
MLNF_API int32_t mlnf_torch_cuda_is_available(void);
MLNF_API int32_t mlnf_torch_cuda_device_count(void);
MLNF_API int64_t mlnf_torch_live_tensor_count(void);
MLNF_API int32_t mlnf_torch_is_grad_enabled(void);
/* Sets grad mode for this thread and returns the previous mode (0/1), or MLNF_ERROR. */
MLNF_API int32_t mlnf_torch_set_grad_enabled(int32_t enabled);
/* Enters c10::InferenceMode on this thread until the guard is freed (on the same thread). */
MLNF_API mlnf_guard mlnf_torch_inference_mode_enter(void);
MLNF_API int32_t mlnf_torch_guard_free(mlnf_guard guard);

/* ---- tensor.cpp: creation, metadata, data transfer, autograd -------------------------------- */
MLNF_API int32_t mlnf_tensor_free(mlnf_tensor t);
MLNF_API mlnf_tensor mlnf_tensor_from_data(const void* data, int64_t byte_count, const int64_t* shape,
                                           int32_t ndim, int32_t dtype, int32_t device_type,
                                           int32_t device_index);
MLNF_API mlnf_tensor mlnf_tensor_full(const int64_t* shape, int32_t ndim, double value, int32_t dtype,
                                      int32_t device_type, int32_t device_index);
MLNF_API mlnf_tensor mlnf_tensor_randn(const int64_t* shape, int32_t ndim, int32_t dtype,
                                       int32_t device_type, int32_t device_index);
MLNF_API mlnf_tensor mlnf_tensor_rand(const int64_t* shape, int32_t ndim, int32_t dtype,
                                      int32_t device_type, int32_t device_index);
MLNF_API mlnf_tensor mlnf_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int32_t ndim,
                                         int32_t device_type, int32_t device_index);
MLNF_API mlnf_tensor mlnf_tensor_randperm(int64_t n, int32_t device_type, int32_t device_index);
MLNF_API mlnf_tensor mlnf_tensor_arange(double start, double end, double step, int32_t dtype,
                                        int32_t device_type, int32_t device_index);
MLNF_API mlnf_tensor mlnf_tensor_eye(int64_t n, int64_t m, int32_t dtype, int32_t device_type,
                                     int32_t device_index);
/* Copies the elements (converted to CPU, contiguous) into destination, which holds byte_count bytes. */
MLNF_API int32_t mlnf_tensor_copy_to(mlnf_tensor t, void* destination, int64_t byte_count);
MLNF_API int32_t mlnf_tensor_item(mlnf_tensor t, double* value);
MLNF_API int32_t mlnf_tensor_ndim(mlnf_tensor t);
/* Writes min(ndim, capacity) sizes; returns ndim. */
MLNF_API int32_t mlnf_tensor_shape(mlnf_tensor t, int64_t* sizes, int32_t capacity);
MLNF_API int32_t mlnf_tensor_dtype(mlnf_tensor t);
MLNF_API int32_t mlnf_tensor_device(mlnf_tensor t, int32_t* device_type, int32_t* device_index);
MLNF_API mlnf_tensor mlnf_tensor_to(mlnf_tensor t, int32_t dtype, int32_t device_type,
                                    int32_t device_index);
MLNF_API mlnf_tensor mlnf_tensor_clone(mlnf_tensor t);
MLNF_API mlnf_tensor mlnf_tensor_detach(mlnf_tensor t);
/* memory_format: 0 contiguous (row-major), 1 channels-last (NHWC order of a 4-D NCHW tensor). An alias when the
   tensor already has that layout. */
MLNF_API mlnf_tensor mlnf_tensor_contiguous(mlnf_tensor t, int32_t memory_format);
/* 1 when the tensor is dense in memory_format (codes as above), 0 when not, MLNF_ERROR on failure. */
MLNF_API int32_t mlnf_tensor_is_contiguous(mlnf_tensor t, int32_t memory_format);
MLNF_API mlnf_tensor mlnf_tensor_alias(mlnf_tensor t);
MLNF_API int32_t mlnf_tensor_requires_grad(mlnf_tensor t);
MLNF_API int32_t mlnf_tensor_set_requires_grad(mlnf_tensor t, int32_t requires_grad);
/* *grad is NULL when the tensor has no gradient. */
MLNF_API int32_t mlnf_tensor_grad(mlnf_tensor t, mlnf_tensor* grad);
/* Drops the accumulated gradient (PyTorch's `t.grad = None`). */
MLNF_API int32_t mlnf_tensor_reset_grad(mlnf_tensor t);
MLNF_API int32_t mlnf_tensor_backward(mlnf_tensor t, mlnf_tensor gradient, int32_t retain_graph);
/* In-place updates, used by optimizers and initialisers (they bypass autograd under no_grad). */
MLNF_API int32_t mlnf_tensor_copy_(mlnf_tensor t, mlnf_tensor source);
/* Replaces t's data (storage, shape, device) by source's, keeping t's identity (PyTorch's `p.data = x`). */
MLNF_API int32_t mlnf_tensor_set_data(mlnf_tensor t, mlnf_tensor source);
MLNF_API int32_t mlnf_tensor_fill_(mlnf_tensor t, double value);
MLNF_API int32_t mlnf_tensor_uniform_(mlnf_tensor t, double low, double high);
MLNF_API int32_t mlnf_tensor_normal_(mlnf_tensor t, double mean, double std);
MLNF_API int32_t mlnf_tensor_add_(mlnf_tensor t, mlnf_tensor other, double alpha);
MLNF_API int32_t mlnf_tensor_mul_scalar_(mlnf_tensor t, double value);
MLNF_API int32_t mlnf_tensor_relu_(mlnf_tensor t);
MLNF_API int32_t mlnf_tensor_addcmul_(mlnf_tensor t, mlnf_tensor a, mlnf_tensor b, double value);
MLNF_API int32_t mlnf_tensor_addcdiv_(mlnf_tensor t, mlnf_tensor a, mlnf_tensor b, double value);

/* ---- ops.cpp: shape, pointwise, reductions, linear algebra ---------------------------------- */
MLNF_API mlnf_tensor mlnf_ops_reshape(mlnf_tensor t, const int64_t* shape, int32_t ndim);
MLNF_API mlnf_tensor mlnf_ops_view(mlnf_tensor t, const int64_t* shape, int32_t ndim);
MLNF_API mlnf_tensor mlnf_ops_permute(mlnf_tensor t, const int64_t* dims, int32_t ndim);
MLNF_API mlnf_tensor mlnf_ops_transpose(mlnf_tensor t, int64_t dim0, int64_t dim1);
MLNF_API mlnf_tensor mlnf_ops_flatten(mlnf_tensor t, int64_t start_dim, int64_t end_dim);
MLNF_API mlnf_tensor mlnf_ops_squeeze(mlnf_tensor t, int64_t dim);
MLNF_API mlnf_tensor mlnf_ops_unsqueeze(mlnf_tensor t, int64_t dim);
MLNF_API mlnf_tensor mlnf_ops_expand(mlnf_tensor t, const int64_t* shape, int32_t ndim);
MLNF_API mlnf_tensor mlnf_ops_repeat(mlnf_tensor t, const int64_t* repeats, int32_t ndim);
MLNF_API mlnf_tensor mlnf_ops_narrow(mlnf_tensor t, int64_t dim, int64_t start, int64_t length);
MLNF_API mlnf_tensor mlnf_ops_select(mlnf_tensor t, int64_t dim, int64_t index);
MLNF_API mlnf_tensor mlnf_ops_flip(mlnf_tensor t, const int64_t* dims, int32_t ndim);
MLNF_API mlnf_tensor mlnf_ops_index_select(mlnf_tensor t, int64_t dim, mlnf_tensor index);
/* mode: 0 constant, 1 reflect, 2 replicate; pads as torch.nn.functional.pad (last dim first). */
MLNF_API mlnf_tensor mlnf_ops_pad(mlnf_tensor t, const int64_t* pads, int32_t count, int32_t mode,
                                  double value);
MLNF_API mlnf_tensor mlnf_ops_cat(const mlnf_tensor* tensors, int32_t count, int64_t dim);
MLNF_API mlnf_tensor mlnf_ops_stack(const mlnf_tensor* tensors, int32_t count, int64_t dim);
/* Writes up to capacity chunk handles; returns the number of chunks, or MLNF_ERROR. */
MLNF_API int32_t mlnf_ops_chunk(mlnf_tensor t, int64_t chunks, int64_t dim, mlnf_tensor* out,
                                int32_t capacity);

/* Unary pointwise: op codes in MLNF_UNARY_OPS order (see ops.cpp and Native.Ops.cs). */
MLNF_API mlnf_tensor mlnf_ops_unary(mlnf_tensor t, int32_t op);
/* Binary pointwise tensor-tensor with broadcasting: op codes in MLNF_BINARY_OPS order. */
MLNF_API mlnf_tensor mlnf_ops_binary(mlnf_tensor a, mlnf_tensor b, int32_t op);
/* Binary pointwise tensor-scalar (tensor on the left) with the same op codes. */
MLNF_API mlnf_tensor mlnf_ops_binary_scalar(mlnf_tensor a, double b, int32_t op);
MLNF_API mlnf_tensor mlnf_ops_rsub_scalar(mlnf_tensor a, double b);
MLNF_API mlnf_tensor mlnf_ops_add_scaled(mlnf_tensor a, mlnf_tensor b, double alpha);
MLNF_API mlnf_tensor mlnf_ops_where(mlnf_tensor condition, mlnf_tensor a, mlnf_tensor b);
MLNF_API mlnf_tensor mlnf_ops_clamp(mlnf_tensor t, int32_t has_min, double min, int32_t has_max,
                                    double max);
MLNF_API mlnf_tensor mlnf_ops_leaky_relu(mlnf_tensor t, double negative_slope);
MLNF_API mlnf_tensor mlnf_ops_softplus(mlnf_tensor t, double beta, double threshold);

/* Reductions over dims (count 0 = all dims). */
MLNF_API mlnf_tensor mlnf_ops_sum(mlnf_tensor t, const int64_t* dims, int32_t count, int32_t keepdim);
MLNF_API mlnf_tensor mlnf_ops_mean(mlnf_tensor t, const int64_t* dims, int32_t count, int32_t keepdim);
MLNF_API mlnf_tensor mlnf_ops_var(mlnf_tensor t, const int64_t* dims, int32_t count, int32_t unbiased,
                                  int32_t keepdim);
MLNF_API mlnf_tensor mlnf_ops_std(mlnf_tensor t, const int64_t* dims, int32_t count, int32_t unbiased,
                                  int32_t keepdim);
MLNF_API mlnf_tensor mlnf_ops_logsumexp(mlnf_tensor t, const int64_t* dims, int32_t count,
                                        int32_t keepdim);
MLNF_API mlnf_tensor mlnf_ops_amax(mlnf_tensor t, const int64_t* dims, int32_t count, int32_t keepdim);
MLNF_API mlnf_tensor mlnf_ops_amin(mlnf_tensor t, const int64_t* dims, int32_t count, int32_t keepdim);
MLNF_API int32_t mlnf_ops_max_dim(mlnf_tensor t, int64_t dim, int32_t keepdim, mlnf_tensor* values,
                                  mlnf_tensor* indices);
MLNF_API mlnf_tensor mlnf_ops_argmax(mlnf_tensor t, int64_t dim, int32_t keepdim);
MLNF_API mlnf_tensor mlnf_ops_all(mlnf_tensor t);
MLNF_API mlnf_tensor mlnf_ops_any(mlnf_tensor t);

MLNF_API mlnf_tensor mlnf_ops_matmul(mlnf_tensor a, mlnf_tensor b);
MLNF_API int32_t mlnf_ops_slogdet(mlnf_tensor t, mlnf_tensor* sign, mlnf_tensor* logabsdet);
MLNF_API mlnf_tensor mlnf_ops_inverse(mlnf_tensor t);
MLNF_API int32_t mlnf_ops_lu_factor(mlnf_tensor t, mlnf_tensor* lu, mlnf_tensor* pivots);
MLNF_API int32_t mlnf_ops_lu_unpack(mlnf_tensor lu, mlnf_tensor pivots, mlnf_tensor* p,
                                    mlnf_tensor* l, mlnf_tensor* u);
MLNF_API mlnf_tensor mlnf_ops_solve_triangular(mlnf_tensor a, mlnf_tensor b, int32_t upper,
                                               int32_t left, int32_t unitriangular);
/* complete = 0 gives the reduced factorisation. */
MLNF_API int32_t mlnf_ops_qr(mlnf_tensor t, int32_t complete, mlnf_tensor* q, mlnf_tensor* r);
MLNF_API mlnf_tensor mlnf_ops_diag(mlnf_tensor t, int64_t diagonal);
MLNF_API mlnf_tensor mlnf_ops_tril(mlnf_tensor t, int64_t diagonal);
MLNF_API mlnf_tensor mlnf_ops_triu(mlnf_tensor t, int64_t diagonal);

/* ---- nn.cpp: neural-network functionals, losses, initialisers ------------------------------- */
MLNF_API mlnf_tensor mlnf_nn_conv2d(mlnf_tensor input, mlnf_tensor weight, mlnf_tensor bias,
                                    int64_t stride_h, int64_t stride_w, int64_t padding_h,
                                    int64_t padding_w, int64_t dilation_h, int64_t dilation_w,
                                    int64_t groups);
MLNF_API mlnf_tensor mlnf_nn_conv_transpose2d(mlnf_tensor input, mlnf_tensor weight, mlnf_tensor bias,
                                              int64_t stride_h, int64_t stride_w, int64_t padding_h,
                                              int64_t padding_w, int64_t output_padding_h,
                                              int64_t output_padding_w, int64_t dilation_h,
                                              int64_t dilation_w, int64_t groups);
MLNF_API mlnf_tensor mlnf_nn_linear(mlnf_tensor input, mlnf_tensor weight, mlnf_tensor bias);
MLNF_API mlnf_tensor mlnf_nn_batch_norm(mlnf_tensor input, mlnf_tensor weight, mlnf_tensor bias,
                                        mlnf_tensor running_mean, mlnf_tensor running_var,
                                        int32_t training, double momentum, double eps);
MLNF_API mlnf_tensor mlnf_nn_dropout(mlnf_tensor input, double p, int32_t training);
MLNF_API mlnf_tensor mlnf_nn_softmax(mlnf_tensor input, int64_t dim);
MLNF_API mlnf_tensor mlnf_nn_log_softmax(mlnf_tensor input, int64_t dim);
/* reduction: 0 none, 1 mean, 2 sum (at::Reduction). */
MLNF_API mlnf_tensor mlnf_nn_cross_entropy(mlnf_tensor logits, mlnf_tensor target, int32_t reduction);
MLNF_API mlnf_tensor mlnf_nn_binary_cross_entropy_with_logits(mlnf_tensor logits, mlnf_tensor target,
                                                              int32_t reduction);
MLNF_API mlnf_tensor mlnf_nn_mse_loss(mlnf_tensor input, mlnf_tensor target, int32_t reduction);
MLNF_API mlnf_tensor mlnf_nn_one_hot(mlnf_tensor indices, int64_t num_classes);
MLNF_API mlnf_tensor mlnf_nn_avg_pool2d(mlnf_tensor input, int64_t kernel_h, int64_t kernel_w,
                                        int64_t stride_h, int64_t stride_w, int64_t padding_h,
                                        int64_t padding_w);
/* mode: 0 nearest, 1 bilinear (align_corners = false). */
MLNF_API mlnf_tensor mlnf_nn_interpolate(mlnf_tensor input, int64_t height, int64_t width, int32_t mode);
MLNF_API int32_t mlnf_nn_init_xavier_uniform_(mlnf_tensor t, double gain);
MLNF_API int32_t mlnf_nn_init_kaiming_uniform_(mlnf_tensor t, double a);
MLNF_API int32_t mlnf_nn_init_kaiming_normal_(mlnf_tensor t, double a);
MLNF_API int32_t mlnf_nn_init_orthogonal_(mlnf_tensor t, double gain);
/* Scales the gradients of params in place so their joint L2 norm is at most max_norm. */
MLNF_API int32_t mlnf_nn_clip_grad_norm_(const mlnf_tensor* params, int32_t count, double max_norm,
                                         double* total_norm);

/* ---- optim.cpp: libtorch's Adam --------------------------------------------------------------- */
MLNF_API mlnf_optimizer mlnf_optim_adam_create(const mlnf_tensor* params, int32_t count, double lr,
                                               double beta1, double beta2, double eps,
                                               double weight_decay, int32_t amsgrad);
MLNF_API int32_t mlnf_optim_free(mlnf_optimizer optimizer);
MLNF_API int32_t mlnf_optim_step(mlnf_optimizer optimizer);
MLNF_API int32_t mlnf_optim_zero_grad(mlnf_optimizer optimizer);
MLNF_API int32_t mlnf_optim_set_lr(mlnf_optimizer optimizer, double lr);
MLNF_API int32_t mlnf_optim_get_lr(mlnf_optimizer optimizer, double* lr);
/* State of parameter `index`: *step is 0 and the tensors NULL before its first step. */
MLNF_API int32_t mlnf_optim_adam_get_state(mlnf_optimizer optimizer, int32_t index, int64_t* step,
                                           mlnf_tensor* exp_avg, mlnf_tensor* exp_avg_sq,
                                           mlnf_tensor* max_exp_avg_sq);
MLNF_API int32_t mlnf_optim_adam_set_state(mlnf_optimizer optimizer, int32_t index, int64_t step,
                                           mlnf_tensor exp_avg, mlnf_tensor exp_avg_sq,
                                           mlnf_tensor max_exp_avg_sq);

/* ---- fused.cpp: inference-only fused kernels through oneDNN --------------------------------- */
/* relu(conv(x, w[0]) + b[0]) → relu(conv(·, w[1]) + b[1]) → … → conv(·, w[count-1]) + b[count-1]: stride-1
   convolutions with odd square kernels w[i] [C_i+1, C_i, k, k] and "same" zero padding k/2, ReLU after every layer
   but the last. CPU float32 only and inference only (an error if autograd would record). The activations stay
   channels-last and each ReLU is fused into its convolution; the result is a channels-last [N, C_out, H, W] tensor. */
MLNF_API mlnf_tensor mlnf_nn_conv2d_relu_chain(mlnf_tensor input, const mlnf_tensor* weights,
                                               const mlnf_tensor* biases, int32_t count);

/* ---- image.cpp: PNG and JPEG codecs (libpng, libjpeg-turbo) --------------------------------- */
/* format codes: 1 PNG, 2 JPEG. Pixels are 8-bit, interleaved, row-major; channels 1 gray, 3 RGB,
 * 4 RGBA. Decompression-bomb guard: with max_pixels > 0, an image whose header declares a side
 * longer than 65535 or more than max_pixels pixels (width * height) is refused from its header
 * alone, before anything is allocated. */
/* Reads the header: format, size and the channels the file stores (1 gray, 2 gray+alpha, 3 RGB,
 * 4 RGBA or CMYK; a palette counts as 3, or 4 with transparency). max_pixels 0 reports any size. */
MLNF_API int32_t mlnf_image_probe(const uint8_t* data, int64_t length, int64_t max_pixels,
                                  int32_t* format, int32_t* width, int32_t* height,
                                  int32_t* channels);
/* Decodes the whole image into out, which holds exactly width * height * desired_channels bytes.
 * Truncated data, CRC mismatches in critical PNG chunks and every libjpeg warning (corrupt or
 * missing scan data) are errors; a damaged ancillary PNG chunk is skipped, as libpng does. */
MLNF_API int32_t mlnf_image_decode(const uint8_t* data, int64_t length, int32_t desired_channels,
                                   int64_t max_pixels, uint8_t* out, int64_t out_length);
/* Encodes width * height * channels pixels as a non-interlaced 8-bit PNG with zlib level 0..9.
 * *out is malloc'ed and owned by the caller, who releases it with mlnf_image_buffer_free(). */
MLNF_API int32_t mlnf_image_encode_png(const uint8_t* pixels, int64_t pixels_length, int32_t width,
                                       int32_t height, int32_t channels, int32_t compression_level,
                                       uint8_t** out, int64_t* out_length);
MLNF_API void mlnf_image_buffer_free(uint8_t* buffer);
/* Codec contexts and encoded buffers alive now (leak detection). */
MLNF_API int64_t mlnf_image_live_count(void);

#ifdef __cplusplus
}
#endif

#endif /* MLNF_H */
