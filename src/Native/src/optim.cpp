// optim.cpp — libtorch's Adam behind an opaque handle, with its state exposed for checkpoints.
#include <torch/csrc/api/include/torch/optim/adam.h>

#include <memory>
#include <vector>

#include "common.h"

struct mlnf_optimizer_t {
  std::vector<at::Tensor> parameters;
  std::unique_ptr<torch::optim::Adam> adam;
};

namespace {

mlnf_optimizer_t& checked(mlnf_optimizer optimizer) {
  if (optimizer == nullptr) throw std::invalid_argument("optimizer handle is null");
  return *optimizer;
}

const at::Tensor& parameter(mlnf_optimizer_t& optimizer, int32_t index) {
  if (index < 0 || static_cast<size_t>(index) >= optimizer.parameters.size()) {
    throw std::out_of_range("parameter index " + std::to_string(index) + " is outside [0, " +
                            std::to_string(optimizer.parameters.size()) + ")");
  }
  return optimizer.parameters[static_cast<size_t>(index)];
}

std::string state_key(const at::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); }

}  // namespace

extern "C" {

mlnf_optimizer mlnf_optim_adam_create(const mlnf_tensor* params, int32_t count, double lr, double beta1,
                                      double beta2, double eps, double weight_decay, int32_t amsgrad) {
  try {
    if (count <= 0 || params == nullptr) throw std::invalid_argument("Adam needs at least one parameter");
    auto holder = std::make_unique<mlnf_optimizer_t>();
    for (int32_t i = 0; i < count; ++i) holder->parameters.push_back(mlnf::unwrap(params[i]));
    auto options = torch::optim::AdamOptions(lr).betas({beta1, beta2}).eps(eps).weight_decay(weight_decay).amsgrad(
        amsgrad != 0);
    holder->adam = std::make_unique<torch::optim::Adam>(holder->parameters, options);
    return holder.release();
  }
  MLNF_CATCH(nullptr)
}

int32_t mlnf_optim_free(mlnf_optimizer optimizer) { MLNF_RETURN_STATUS(delete optimizer) }

int32_t mlnf_optim_step(mlnf_optimizer optimizer) { MLNF_RETURN_STATUS(checked(optimizer).adam->step()) }

int32_t mlnf_optim_zero_grad(mlnf_optimizer optimizer) { MLNF_RETURN_STATUS(checked(optimizer).adam->zero_grad()) }

int32_t mlnf_optim_set_lr(mlnf_optimizer optimizer, double lr) {
  MLNF_RETURN_STATUS({
    for (auto& group : checked(optimizer).adam->param_groups()) {
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
    }
  })
}

int32_t mlnf_optim_get_lr(mlnf_optimizer optimizer, double* lr) {
  MLNF_RETURN_STATUS(*lr = static_cast<torch::optim::AdamOptions&>(
                               checked(optimizer).adam->param_groups().front().options()).lr())
}

int32_t mlnf_optim_adam_get_state(mlnf_optimizer optimizer, int32_t index, int64_t* step, mlnf_tensor* exp_avg,
                                  mlnf_tensor* exp_avg_sq, mlnf_tensor* max_exp_avg_sq) {
  MLNF_RETURN_STATUS({
    auto& holder = checked(optimizer);
    auto& states = holder.adam->state();
    *step = 0;
    *exp_avg = *exp_avg_sq = *max_exp_avg_sq = nullptr;
    const auto found = states.find(state_key(parameter(holder, index)));
    if (found != states.end()) {
      const auto& state = static_cast<torch::optim::AdamParamState&>(*found->second);
      *step = state.step();
      *exp_avg = mlnf::wrap(state.exp_avg());
      *exp_avg_sq = mlnf::wrap(state.exp_avg_sq());
      if (state.max_exp_avg_sq().defined()) *max_exp_avg_sq = mlnf::wrap(state.max_exp_avg_sq());
    }
  })
}

int32_t mlnf_optim_adam_set_state(mlnf_optimizer optimizer, int32_t index, int64_t step, mlnf_tensor exp_avg,
                                  mlnf_tensor exp_avg_sq, mlnf_tensor max_exp_avg_sq) {
  MLNF_RETURN_STATUS({
    auto& holder = checked(optimizer);
    const auto& p = parameter(holder, index);
    const auto& m = mlnf::unwrap(exp_avg);
    const auto& v = mlnf::unwrap(exp_avg_sq);
    if (!m.sizes().equals(p.sizes()) || !v.sizes().equals(p.sizes())) {
      throw std::invalid_argument("Adam state of parameter " + std::to_string(index) + " has shape " +
                                  c10::str(m.sizes()) + " but the parameter has shape " + c10::str(p.sizes()));
    }
    auto state = std::make_unique<torch::optim::AdamParamState>();
    state->step(step);
    state->exp_avg(m.clone());
    state->exp_avg_sq(v.clone());
    if (max_exp_avg_sq != nullptr) state->max_exp_avg_sq(mlnf::unwrap(max_exp_avg_sq).clone());
    holder.adam->state()[state_key(p)] = std::move(state);
  })
}

}  // extern "C"
