using System.Globalization;
using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Glow;
using static TorchSharp.torch;

namespace MLNetFlows.Bench;

/// <summary>
/// By-hand check of libtorch's float32 convolution gradients in one layout (--layout nchw|channels-last) against float64,
/// over the convolution shapes of the default Glow (L=3, K=8, hidden 128, 32×32×1; shapes recorded from the model) at
/// batch --batch (default 8): prints the relative max errors of output, input gradient and weight gradient per shape.
/// The same check as tests/MLNetFlows.Models.Tests/ConvolutionGradientTests.cs, which runs the channels-last path.
/// </summary>
internal static class ConvolutionGradientCheck
{
    public static void Run(BenchSettings settings)
    {
        FlowExecution.ChannelsLast = settings.ChannelsLast;
        var batch = settings.BatchSizes is [var only] && only != 64 ? only : 8;
        var architecture = new GlowArchitecture { Channels = 1, Height = 32, Width = 32, Levels = settings.Levels, StepsPerLevel = 1, HiddenChannels = settings.Hidden };
        var shapes = new HashSet<ConvolutionShape>();
        using (var model = new GlowModel(architecture))
        using (NewDisposeScope())
        using (no_grad())
        {
            model.eval();
            FlowExecution.Observer = shape => shapes.Add(shape);
            model.Evaluate(zeros(1, 1, 32, 32));
            FlowExecution.Observer = null;
        }

        Console.WriteLine($"layout {(settings.ChannelsLast ? "channels-last" : "NCHW")}, batch {batch}: relative max error of output / input gradient / weight gradient vs float64");
        manual_seed(11);
        foreach (var shape in shapes.OrderBy(s => s.InChannels).ThenBy(s => s.OutChannels).ThenBy(s => s.Height))
        {
            var (output, input, weight) = Errors(shape, batch);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"in {shape.InChannels,3} out {shape.OutChannels,3} k {shape.Kernel} {shape.Height,2}x{shape.Width,-2}  {output,9:E1} {input,9:E1} {weight,9:E1}{(input > 1e-4 || double.IsNaN(input) ? "  WRONG" : string.Empty)}"));
        }
    }

    private static (double Output, double Input, double Weight) Errors(ConvolutionShape shape, long batch)
    {
        using var scope = NewDisposeScope();
        var padding = shape.Kernel / 2;
        var x = randn([batch, shape.InChannels, shape.Height, shape.Width], ScalarType.Float64);
        var w = randn([shape.OutChannels, shape.InChannels, shape.Kernel, shape.Kernel], ScalarType.Float64) / Math.Sqrt(shape.InChannels * shape.Kernel * shape.Kernel);
        var upstream = randn([batch, shape.OutChannels, shape.Height, shape.Width], ScalarType.Float64);
        var (y32, dx32, dw32) = Gradients(x.to(ScalarType.Float32), w.to(ScalarType.Float32), upstream.to(ScalarType.Float32), (a, b) => FlowExecution.Conv2d(a, b, null, padding));
        var (y64, dx64, dw64) = Gradients(x, w, upstream, (a, b) => nn.functional.conv2d(a, b, padding: [padding, padding]));
        return (Relative(y32, y64), Relative(dx32, dx64), Relative(dw32, dw64));
    }

    private static (Tensor, Tensor, Tensor) Gradients(Tensor x, Tensor w, Tensor upstream, Func<Tensor, Tensor, Tensor> convolve)
    {
        x.requires_grad = true;
        w.requires_grad = true;
        var y = convolve(x, w);
        y.backward([upstream]);
        return (y.detach(), x.grad!, w.grad!);
    }

    private static double Relative(Tensor actual, Tensor expected) =>
        (actual.to(ScalarType.Float64) - expected).abs().max().item<double>() / expected.abs().max().item<double>();
}
