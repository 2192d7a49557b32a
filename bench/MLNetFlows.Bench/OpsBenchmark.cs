using MLNetFlows.Torch;
using MLNetFlows.Torch.NN;

namespace MLNetFlows.Bench;

/// <summary>
/// The binding's side of the op-overhead benchmark; the same ops, shapes and loop structure as
/// bench/reference/ops_bench.py so the two sides are measured alike in one run.
/// </summary>
internal static class OpsBenchmark
{
    public static void Run(bool quick)
    {
        var scale = quick ? 10 : 1;

        using (var x = Tensor.Randn([64, 64, 16, 16]).RequiresGrad_())
        using (var conv = new Conv2d(64, 64, 3, padding: 1))
        {
            void Step()
            {
                using var scope = DisposeScope.Enter();
                x.ResetGrad();
                conv.Weight.ResetGrad();
                conv.Bias!.ResetGrad();
                conv.Forward(x).Sum().Backward();
            }

            var calls = 20 / Math.Min(scale, 4);
            Timing.Report("conv2d_fwd_bwd", Timing.MicrosecondsPerCall(Step, calls, quick ? 3 : 7, 3), calls);
        }

        using (var a = Tensor.Randn([1024, 1024]))
        using (var b = Tensor.Randn([1024, 1024]))
        {
            void MatMul()
            {
                using var c = a.MatMul(b);
            }

            var calls = 20 / Math.Min(scale, 4);
            var us = Timing.MicrosecondsPerCall(MatMul, calls, quick ? 3 : 7, 3);
            Timing.Report("matmul_1024", us, calls);
            Timing.ReportValue("matmul_1024_gflops", 2.0 * 1024 * 1024 * 1024 / (us * 1e-6) / 1e9);
        }

        using (var a = Tensor.Randn([1]))
        using (var b = Tensor.Randn([1]))
        {
            void Add()
            {
                using var c = a + b;
            }

            void AddInPlace() => a.Add_(b);

            var calls = 200_000 / scale;
            Timing.Report("add_1", Timing.MicrosecondsPerCall(Add, calls, quick ? 3 : 7, 10_000), calls);
            Timing.Report("add_1_inplace", Timing.MicrosecondsPerCall(AddInPlace, calls, quick ? 3 : 7, 10_000), calls);
        }
    }
}
