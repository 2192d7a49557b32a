using System.Globalization;
using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch.Optim;

/// <summary>Adam (Kingma and Ba 2015), libtorch's implementation (torch::optim::Adam).</summary>
public sealed class Adam : Optimizer
{
    private const string StepKey = "step";
    private readonly OptimizerHandle _handle;

    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    public Adam(IReadOnlyList<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsGrad = false)
        : base(parameters)
    {
        using var handles = new HandleArray(parameters);
        _handle = new OptimizerHandle(Native.mlnf_optim_adam_create(handles.Pointers, handles.Count, learningRate, beta1, beta2, eps, weightDecay, amsGrad ? 1 : 0));
    }

    /// <inheritdoc />
    public override double LearningRate
    {
        get
        {
            NativeError.Check(Native.mlnf_optim_get_lr(_handle, out var lr));
            return lr;
        }

        set => NativeError.Check(Native.mlnf_optim_set_lr(_handle, value));
    }

    /// <inheritdoc />
    protected override string Kind => "adam";

    /// <inheritdoc />
    public override void Step() => NativeError.Check(Native.mlnf_optim_step(_handle));

    /// <inheritdoc />
    public override void ZeroGrad() => NativeError.Check(Native.mlnf_optim_zero_grad(_handle));

    /// <inheritdoc />
    protected override void CollectState(Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata)
    {
        for (var i = 0; i < Parameters.Count; i++)
        {
            NativeError.Check(Native.mlnf_optim_adam_get_state(_handle, i, out var step, out var expAvg, out var expAvgSq, out var maxExpAvgSq));
            if (expAvg == IntPtr.Zero)
            {
                continue;
            }

            metadata[StateName(i, StepKey)] = step.ToString(CultureInfo.InvariantCulture);
            tensors[StateName(i, "exp_avg")] = new Tensor(expAvg).DetachFromScope();
            tensors[StateName(i, "exp_avg_sq")] = new Tensor(expAvgSq).DetachFromScope();
            if (maxExpAvgSq != IntPtr.Zero)
            {
                tensors[StateName(i, "max_exp_avg_sq")] = new Tensor(maxExpAvgSq).DetachFromScope();
            }
        }
    }

    /// <inheritdoc />
    protected override void RestoreState(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        for (var i = 0; i < Parameters.Count; i++)
        {
            if (!metadata.TryGetValue(StateName(i, StepKey), out var stepText))
            {
                continue;
            }

            var step = long.Parse(stepText, CultureInfo.InvariantCulture);
            var expAvg = RequireState(tensors, StateName(i, "exp_avg"), i);
            var expAvgSq = RequireState(tensors, StateName(i, "exp_avg_sq"), i);
            tensors.TryGetValue(StateName(i, "max_exp_avg_sq"), out var maxExpAvgSq);
            using var m = expAvg.To(Parameters[i].Device);
            using var v = expAvgSq.To(Parameters[i].Device);
            using var vMax = maxExpAvgSq?.To(Parameters[i].Device);
            NativeError.Check(Native.mlnf_optim_adam_set_state(_handle, i, step, m.Handle, v.Handle, vMax?.Handle ?? TensorHandle.Null));
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
        }

        base.Dispose(disposing);
    }
}
