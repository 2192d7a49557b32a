// ops.cpp — shape manipulation, pointwise maths, reductions and linear algebra.
#include <ATen/ATen.h>

#include <vector>

#include "common.h"

using mlnf::int_array;
using mlnf::unwrap;

namespace {

// Op codes shared with Native.Ops.cs (UnaryOp / BinaryOp enums): append only, never reorder.
enum class UnaryOp : int32_t {
  Neg, Exp, Log, Sqrt, Rsqrt, Abs, Sigmoid, Tanh, Atan, Relu, Sign, Floor, Round, Log1p, Expm1,
  Square, IsFinite, LogicalNot, Sin, Cos, LogSigmoid, Ceil, Reciprocal,
};
enum class BinaryOp : int32_t { Add, Sub, Mul, Div, Pow, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge };

at::Tensor unary(const at::Tensor& x, UnaryOp op) {
  switch (op) {
    case UnaryOp::Neg: return x.neg();
    case UnaryOp::Exp: return x.exp();
    case UnaryOp::Log: return x.log();
    case UnaryOp::Sqrt: return x.sqrt();
    case UnaryOp::Rsqrt: return x.rsqrt();
    case UnaryOp::Abs: return x.abs();
    case UnaryOp::Sigmoid: return x.sigmoid();
    case UnaryOp::Tanh: return x.tanh();
    case UnaryOp::Atan: return x.atan();
    case UnaryOp::Relu: return x.relu();
    case UnaryOp::Sign: return x.sign();
    case UnaryOp::Floor: return x.floor();
    case UnaryOp::Round: return x.round();
    case UnaryOp::Log1p: return x.log1p();
    case UnaryOp::Expm1: return x.expm1();
    case UnaryOp::Square: return x.square();
    case UnaryOp::IsFinite: return x.isfinite();
    case UnaryOp::LogicalNot: return x.logical_not();
    case UnaryOp::Sin: return x.sin();
    case UnaryOp::Cos: return x.cos();
    case UnaryOp::LogSigmoid: return at::log_sigmoid(x);
    case UnaryOp::Ceil: return x.ceil();
    case UnaryOp::Reciprocal: return x.reciprocal();
  }
  throw std::invalid_argument("unknown unary op code " + std::to_string(static_cast<int32_t>(op)));
}

at::Tensor binary(const at::Tensor& a, const at::Tensor& b, BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return a.add(b);
    case BinaryOp::Sub: return a.sub(b);
    case BinaryOp::Mul: return a.mul(b);
    case BinaryOp::Div: return a.div(b);
    case BinaryOp::Pow: return a.pow(b);
    case BinaryOp::Maximum: return at::maximum(a, b);
    case BinaryOp::Minimum: return at::minimum(a, b);
    case BinaryOp::Eq: return a.eq(b);
    case BinaryOp::Ne: return a.ne(b);
    case BinaryOp::Lt: return a.lt(b);
    case BinaryOp::Le: return a.le(b);
    case BinaryOp::Gt: return a.gt(b);
    case BinaryOp::Ge: return a.ge(b);
  }
  throw std::invalid_argument("unknown binary op code " + std::to_string(static_cast<int32_t>(op)));
}

at::Tensor binary_scalar(const at::Tensor& a, double b, BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return a.add(b);
    case BinaryOp::Sub: return a.sub(b);
    case BinaryOp::Mul: return a.mul(b);
    case BinaryOp::Div: return a.div(b);
    case BinaryOp::Pow: return a.pow(b);
    case BinaryOp::Maximum: return a.clamp_min(b);
    case BinaryOp::Minimum: return a.clamp_max(b);
    case BinaryOp::Eq: return a.eq(b);
    case BinaryOp::Ne: return a.ne(b);
    case BinaryOp::Lt: return a.lt(b);
    case BinaryOp::Le: return a.le(b);
    case BinaryOp::Gt: return a.gt(b);
    case BinaryOp::Ge: return a.ge(b);
  }
  throw std::invalid_argument("unknown binary op code " + std::to_string(static_cast<int32_t>(op)));
}

std::vector<at::Tensor> tensor_list(const mlnf_tensor* tensors, int32_t count) {
  if (count <= 0 || tensors == nullptr) throw std::invalid_argument("expected a non-empty list of tensors");
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(count));
  for (int32_t i = 0; i < count; ++i) list.push_back(unwrap(tensors[i]));
  return list;
}

// Dims for a reduction; an empty list means "all dims", which ATen spells differently per op.
at::OptionalIntArrayRef reduction_dims(const int64_t* dims, int32_t count) {
  if (count == 0) return c10::nullopt;
  return int_array(dims, count);
}

std::vector<int64_t> all_dims(const at::Tensor& t, const int64_t* dims, int32_t count) {
  if (count > 0) return std::vector<int64_t>(dims, dims + count);
  std::vector<int64_t> every(static_cast<size_t>(t.dim()));
  for (int64_t i = 0; i < t.dim(); ++i) every[static_cast<size_t>(i)] = i;
  return every;
}

}  // namespace

extern "C" {

mlnf_tensor mlnf_ops_reshape(mlnf_tensor t, const int64_t* shape, int32_t ndim) {
  MLNF_RETURN_TENSOR(unwrap(t).reshape(int_array(shape, ndim)))
}
mlnf_tensor mlnf_ops_view(mlnf_tensor t, const int64_t* shape, int32_t ndim) {
  MLNF_RETURN_TENSOR(unwrap(t).view(int_array(shape, ndim)))
}
mlnf_tensor mlnf_ops_permute(mlnf_tensor t, const int64_t* dims, int32_t ndim) {
  MLNF_RETURN_TENSOR(unwrap(t).permute(int_array(dims, ndim)))
}
mlnf_tensor mlnf_ops_transpose(mlnf_tensor t, int64_t dim0, int64_t dim1) {
  MLNF_RETURN_TENSOR(unwrap(t).transpose(dim0, dim1))
}
mlnf_tensor mlnf_ops_flatten(mlnf_tensor t, int64_t start_dim, int64_t end_dim) {
  MLNF_RETURN_TENSOR(unwrap(t).flatten(start_dim, end_dim))
}
mlnf_tensor mlnf_ops_squeeze(mlnf_tensor t, int64_t dim) { MLNF_RETURN_TENSOR(unwrap(t).squeeze(dim)) }
mlnf_tensor mlnf_ops_unsqueeze(mlnf_tensor t, int64_t dim) { MLNF_RETURN_TENSOR(unwrap(t).unsqueeze(dim)) }
mlnf_tensor mlnf_ops_expand(mlnf_tensor t, const int64_t* shape, int32_t ndim) {
  MLNF_RETURN_TENSOR(unwrap(t).expand(int_array(shape, ndim)))
}
mlnf_tensor mlnf_ops_repeat(mlnf_tensor t, const int64_t* repeats, int32_t ndim) {
  MLNF_RETURN_TENSOR(unwrap(t).repeat(int_array(repeats, ndim)))
}
mlnf_tensor mlnf_ops_narrow(mlnf_tensor t, int64_t dim, int64_t start, int64_t length) {
  MLNF_RETURN_TENSOR(unwrap(t).narrow(dim, start, length))
}
mlnf_tensor mlnf_ops_select(mlnf_tensor t, int64_t dim, int64_t index) {
  MLNF_RETURN_TENSOR(unwrap(t).select(dim, index))
}
mlnf_tensor mlnf_ops_flip(mlnf_tensor t, const int64_t* dims, int32_t ndim) {
  MLNF_RETURN_TENSOR(unwrap(t).flip(int_array(dims, ndim)))
}
mlnf_tensor mlnf_ops_index_select(mlnf_tensor t, int64_t dim, mlnf_tensor index) {
  MLNF_RETURN_TENSOR(unwrap(t).index_select(dim, unwrap(index)))
}

mlnf_tensor mlnf_ops_pad(mlnf_tensor t, const int64_t* pads, int32_t count, int32_t mode, double value) {
  MLNF_RETURN_TENSOR(([&] {
    const auto& x = unwrap(t);
    const auto p = int_array(pads, count);
    switch (mode) {
      case 0: return at::constant_pad_nd(x, p, value);
      case 1: return at::pad(x, p, "reflect");
      case 2: return at::pad(x, p, "replicate");
      default: throw std::invalid_argument("unknown pad mode code " + std::to_string(mode));
    }
  }()))
}

mlnf_tensor mlnf_ops_cat(const mlnf_tensor* tensors, int32_t count, int64_t dim) {
  MLNF_RETURN_TENSOR(at::cat(tensor_list(tensors, count), dim))
}
mlnf_tensor mlnf_ops_stack(const mlnf_tensor* tensors, int32_t count, int64_t dim) {
  MLNF_RETURN_TENSOR(at::stack(tensor_list(tensors, count), dim))
}

int32_t mlnf_ops_chunk(mlnf_tensor t, int64_t chunks, int64_t dim, mlnf_tensor* out, int32_t capacity) {
  try {
    const auto parts = unwrap(t).chunk(chunks, dim);
    const auto count = static_cast<int32_t>(parts.size());
    if (count > capacity) throw std::invalid_argument("chunk output capacity too small");
    for (int32_t i = 0; i < count; ++i) out[i] = mlnf::wrap(parts[static_cast<size_t>(i)]);
    return count;
  }
  MLNF_CATCH(MLNF_ERROR)
}

mlnf_tensor mlnf_ops_unary(mlnf_tensor t, int32_t op) {
  MLNF_RETURN_TENSOR(unary(unwrap(t), static_cast<UnaryOp>(op)))
}
mlnf_tensor mlnf_ops_binary(mlnf_tensor a, mlnf_tensor b, int32_t op) {
  MLNF_RETURN_TENSOR(binary(unwrap(a), unwrap(b), static_cast<BinaryOp>(op)))
}
mlnf_tensor mlnf_ops_binary_scalar(mlnf_tensor a, double b, int32_t op) {
  MLNF_RETURN_TENSOR(binary_scalar(unwrap(a), b, static_cast<BinaryOp>(op)))
}
mlnf_tensor mlnf_ops_rsub_scalar(mlnf_tensor a, double b) { MLNF_RETURN_TENSOR(at::rsub(unwrap(a), b)) }
mlnf_tensor mlnf_ops_add_scaled(mlnf_tensor a, mlnf_tensor b, double alpha) {
  MLNF_RETURN_TENSOR(unwrap(a).add(unwrap(b), alpha))
}
mlnf_tensor mlnf_ops_where(mlnf_tensor condition, mlnf_tensor a, mlnf_tensor b) {
  MLNF_RETURN_TENSOR(at::where(unwrap(condition), unwrap(a), unwrap(b)))
}
mlnf_tensor mlnf_ops_clamp(mlnf_tensor t, int32_t has_min, double min, int32_t has_max, double max) {
  MLNF_RETURN_TENSOR(unwrap(t).clamp(has_min ? c10::optional<at::Scalar>(min) : c10::nullopt,
                                     has_max ? c10::optional<at::Scalar>(max) : c10::nullopt))
}
mlnf_tensor mlnf_ops_leaky_relu(mlnf_tensor t, double negative_slope) {
  MLNF_RETURN_TENSOR(at::leaky_relu(unwrap(t), negative_slope))
}
mlnf_tensor mlnf_ops_softplus(mlnf_tensor t, double beta, double threshold) {
  MLNF_RETURN_TENSOR(at::softplus(unwrap(t), beta, threshold))
}

mlnf_tensor mlnf_ops_sum(mlnf_tensor t, const int64_t* dims, int32_t count, int32_t keepdim) {
  MLNF_RETURN_TENSOR(count == 0 && !keepdim ? unwrap(t).sum()
                                            : unwrap(t).sum(reduction_dims(dims, count), keepdim != 0))
}
mlnf_tensor mlnf_ops_mean(mlnf_tensor t, const int64_t* dims, int32_t count, int32_t keepdim) {
  MLNF_RETURN_TENSOR(count == 0 && !keepdim ? unwrap(t).mean()
                                            : unwrap(t).mean(reduction_dims(dims, count), keepdim != 0))
}
mlnf_tensor mlnf_ops_var(mlnf_tensor t, const int64_t* dims, int32_t count, int32_t unbiased, int32_t keepdim) {
  MLNF_RETURN_TENSOR(unwrap(t).var(reduction_dims(dims, count), unbiased != 0, keepdim != 0))
}
mlnf_tensor mlnf_ops_std(mlnf_tensor t, const int64_t* dims, int32_t count, int32_t unbiased, int32_t keepdim) {
  MLNF_RETURN_TENSOR(unwrap(t).std(reduction_dims(dims, count), unbiased != 0, keepdim != 0))
}
mlnf_tensor mlnf_ops_logsumexp(mlnf_tensor t, const int64_t* dims, int32_t count, int32_t keepdim) {
  MLNF_RETURN_TENSOR(unwrap(t).logsumexp(all_dims(unwrap(t), dims, count), keepdim != 0))
}
mlnf_tensor mlnf_ops_amax(mlnf_tensor t, const int64_t* dims, int32_t count, int32_t keepdim) {
  MLNF_RETURN_TENSOR(unwrap(t).amax(all_dims(unwrap(t), dims, count), keepdim != 0))
}
mlnf_tensor mlnf_ops_amin(mlnf_tensor t, const int64_t* dims, int32_t count, int32_t keepdim) {
  MLNF_RETURN_TENSOR(unwrap(t).amin(all_dims(unwrap(t), dims, count), keepdim != 0))
}

int32_t mlnf_ops_max_dim(mlnf_tensor t, int64_t dim, int32_t keepdim, mlnf_tensor* values, mlnf_tensor* indices) {
  MLNF_RETURN_STATUS({
    auto result = unwrap(t).max(dim, keepdim != 0);
    *values = mlnf::wrap(std::get<0>(result));
    *indices = mlnf::wrap(std::get<1>(result));
  })
}
mlnf_tensor mlnf_ops_argmax(mlnf_tensor t, int64_t dim, int32_t keepdim) {
  MLNF_RETURN_TENSOR(unwrap(t).argmax(dim, keepdim != 0))
}
mlnf_tensor mlnf_ops_all(mlnf_tensor t) { MLNF_RETURN_TENSOR(unwrap(t).all()) }
mlnf_tensor mlnf_ops_any(mlnf_tensor t) { MLNF_RETURN_TENSOR(unwrap(t).any()) }

mlnf_tensor mlnf_ops_matmul(mlnf_tensor a, mlnf_tensor b) { MLNF_RETURN_TENSOR(unwrap(a).matmul(unwrap(b))) }

int32_t mlnf_ops_slogdet(mlnf_tensor t, mlnf_tensor* sign, mlnf_tensor* logabsdet) {
  MLNF_RETURN_STATUS({
    auto result = at::linalg_slogdet(unwrap(t));
    *sign = mlnf::wrap(std::get<0>(result));
    *logabsdet = mlnf::wrap(std::get<1>(result));
  })
}
mlnf_tensor mlnf_ops_inverse(mlnf_tensor t) { MLNF_RETURN_TENSOR(at::linalg_inv(unwrap(t))) }

int32_t mlnf_ops_lu_factor(mlnf_tensor t, mlnf_tensor* lu, mlnf_tensor* pivots) {
  MLNF_RETURN_STATUS({
    auto result = at::linalg_lu_factor(unwrap(t));
    *lu = mlnf::wrap(std::get<0>(result));
    *pivots = mlnf::wrap(std::get<1>(result));
  })
}

int32_t mlnf_ops_lu_unpack(mlnf_tensor lu, mlnf_tensor pivots, mlnf_tensor* p, mlnf_tensor* l, mlnf_tensor* u) {
  MLNF_RETURN_STATUS({
    auto result = at::lu_unpack(unwrap(lu), unwrap(pivots));
    *p = mlnf::wrap(std::get<0>(result));
    *l = mlnf::wrap(std::get<1>(result));
    *u = mlnf::wrap(std::get<2>(result));
  })
}

mlnf_tensor mlnf_ops_solve_triangular(mlnf_tensor a, mlnf_tensor b, int32_t upper, int32_t left,
                                      int32_t unitriangular) {
  MLNF_RETURN_TENSOR(at::linalg_solve_triangular(unwrap(a), unwrap(b), upper != 0, left != 0, unitriangular != 0))
}

int32_t mlnf_ops_qr(mlnf_tensor t, int32_t complete, mlnf_tensor* q, mlnf_tensor* r) {
  MLNF_RETURN_STATUS({
    auto result = at::linalg_qr(unwrap(t), complete ? "complete" : "reduced");
    *q = mlnf::wrap(std::get<0>(result));
    *r = mlnf::wrap(std::get<1>(result));
  })
}

mlnf_tensor mlnf_ops_diag(mlnf_tensor t, int64_t diagonal) { MLNF_RETURN_TENSOR(unwrap(t).diag(diagonal)) }
mlnf_tensor mlnf_ops_tril(mlnf_tensor t, int64_t diagonal) { MLNF_RETURN_TENSOR(unwrap(t).tril(diagonal)) }
mlnf_tensor mlnf_ops_triu(mlnf_tensor t, int64_t diagonal) { MLNF_RETURN_TENSOR(unwrap(t).triu(diagonal)) }

}  // extern "C"
