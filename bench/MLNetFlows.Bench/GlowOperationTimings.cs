using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Glow;
using MLNetFlows.Transforms.Datasets;
using static TorchSharp.torch;

namespace MLNetFlows.Bench;

/// <summary>
/// Where Glow's scoring time goes, per operation, on one thread: every convolution shape one inference forward runs
/// (collected through <see cref="FlowExecution.Observer"/>), timed alone in channels-last and NCHW layout, next to the
/// whole forward; the rest of the forward (element-wise work, reductions, per-call overhead) is the difference.
/// Times are the calling thread's CPU time (libtorch runs the ops on the calling thread with one thread), so other
/// processes on the machine change them far less than wall-clock time. bench/reference/glow_ops.py times the same
/// shapes and the reference forward in PyTorch; bench/run-glow-ops.sh runs both.
/// Prints one JSON line per shape and layout ("op":"conv"), one for the forward ("op":"forward") and one with the
/// number of convolution calls per forward.
/// </summary>
internal static class GlowOperationTimings
{
    public static void Run(BenchSettings settings)
    {
        if (settings.Threads != 1)
        {
            throw new ArgumentException("glow-ops measures thread CPU time: run it with --threads 1");
        }

        var batch = settings.BatchSizes[0];
        var images = FashionMnist.LoadRaw(FashionMnistSplit.Train).Images;
        var bytes = images.Pixels[..(batch * 28 * 28)].ToArray();
        var side = GlowInput.PaddedSide(28, settings.Levels);
        var architecture = new GlowArchitecture
        {
            Channels = 1, Height = side, Width = side, Levels = settings.Levels, StepsPerLevel = settings.Steps, HiddenChannels = settings.Hidden,
        };
        manual_seed(0);
        using var model = new GlowModel(architecture);
        using var pixels = tensor(bytes, [batch, 1, 28, 28]).to(ScalarType.Float32);
        using (NewDisposeScope())
        {
            model.Evaluate(GlowInput.Prepare(pixels, 8, side, side, dequantize: true)); // ActNorm's data-dependent initialisation
        }

        model.eval();
        using var inference = inference_mode();
        using var x = GlowInput.Prepare(pixels, 8, side, side, dequantize: false);
        var shapes = new List<ConvolutionShape>();
        FlowExecution.Observer = shapes.Add;
        using (NewDisposeScope())
        {
            model.Evaluate(x);
        }

        FlowExecution.Observer = null;
        var forward = ThreadCpuClock.Microseconds(() =>
        {
            using var scope = NewDisposeScope();
            model.Evaluate(x);
        });
        Emit($"\"op\":\"forward\",\"batch\":{batch},\"us\":{forward:F1}");
        Emit($"\"op\":\"conv_calls\",\"batch\":{batch},\"value\":{shapes.Count}");
        foreach (var group in shapes.GroupBy(s => s).OrderByDescending(g => g.Key.InChannels * g.Key.OutChannels * g.Key.Kernel * g.Key.Kernel * g.Key.Height * g.Key.Width))
        {
            var shape = group.Key;
            foreach (var layout in (ReadOnlySpan<string>)["channels_last", "nchw"])
            {
                var microseconds = TimeConvolution(shape, batch, layout);
                Emit($"\"op\":\"conv\",\"batch\":{batch},\"in\":{shape.InChannels},\"out\":{shape.OutChannels},\"kernel\":{shape.Kernel},\"height\":{shape.Height},\"width\":{shape.Width},\"layout\":\"{layout}\",\"calls_per_forward\":{group.Count()},\"us\":{microseconds:F1}");
            }
        }
    }

    private static double TimeConvolution(ConvolutionShape shape, int batch, string layout)
    {
        using var scope = NewDisposeScope();
        var input = randn(batch, shape.InChannels, shape.Height, shape.Width);
        if (layout != "nchw")
        {
            input = FlowExecution.ToChannelsLast(input);
        }

        var weight = randn(shape.OutChannels, shape.InChannels, shape.Kernel, shape.Kernel).mul_(0.05);
        var bias = zeros(shape.OutChannels);
        var padding = shape.Kernel / 2;
        return ThreadCpuClock.Microseconds(() =>
        {
            using var inner = NewDisposeScope();
            nn.functional.conv2d(input, weight, bias, padding: [padding, padding]);
        });
    }

    private static void Emit(FormattableString fields) =>
        Console.WriteLine("{\"side\":\"mlnetflows\"," + FormattableString.Invariant(fields) + "}");
}
