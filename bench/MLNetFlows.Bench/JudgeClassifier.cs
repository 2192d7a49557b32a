using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetFlows.Bench;

/// <summary>
/// The benches' independent judge of generated images (the cINN's class-conditional samples, InfoGAN's images per
/// code): a small CNN trained on the run's labelled training images inside the bench, never shown the generative model
/// (3×3 conv 1→16 → ReLU → 2×2 max-pool → 3×3 conv 16→32 → ReLU → 2×2 max-pool → linear 1568→128 → ReLU →
/// linear 128→10), Adam, no augmentation. Inputs are pixels in [0, 255], [N, 1, 28, 28]. Convolutions go through
/// <see cref="FlowExecution.Conv2d"/> (channels-last on the CPU, where libtorch's NCHW convolution gradients are wrong on
/// this machine for some channel counts).
/// </summary>
internal sealed class JudgeClassifier : nn.Module<Tensor, Tensor>
{
    private const int Classes = 10;
    private readonly Conv2d _conv1;
    private readonly Conv2d _conv2;
    private readonly Linear _hidden;
    private readonly Linear _output;

    public JudgeClassifier()
        : base(nameof(JudgeClassifier))
    {
        _conv1 = nn.Conv2d(1, 16, 3);
        _conv2 = nn.Conv2d(16, 32, 3);
        _hidden = nn.Linear(32 * 7 * 7, 128);
        _output = nn.Linear(128, Classes);
        register_module("conv1", _conv1);
        register_module("conv2", _conv2);
        register_module("hidden", _hidden);
        register_module("output", _output);
    }

    /// <summary>Class logits [N, 10] of pixels [N, 1, 28, 28] in [0, 255].</summary>
    public override Tensor forward(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var x = pixels.mul(Scalars.Of(1.0 / 255)).sub_(Scalars.Of(0.5));
        var h = nn.functional.max_pool2d(FlowExecution.Conv2d(x, _conv1.weight!, _conv1.bias, padding: 1).relu_(), 2);
        h = nn.functional.max_pool2d(FlowExecution.Conv2d(h, _conv2.weight!, _conv2.bias, padding: 1).relu_(), 2);
        h = _hidden.forward(h.reshape(h.size(0), -1)).relu_();
        return _output.forward(h).MoveToOuterDisposeScope();
    }

    /// <summary>Trains on <paramref name="pixels"/> (Float32 [N, 1, 28, 28]) and <paramref name="labels"/> (Int64 [N]).</summary>
    public void Fit(Tensor pixels, Tensor labels, int epochs, int batchSize, int seed, Action<string>? log = null)
    {
        manual_seed(seed).Dispose();
        using var optimizer = optim.Adam(parameters(), 1e-3);
        var count = pixels.size(0);
        train();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            using var order = randperm(count);
            double lossSum = 0;
            var steps = 0;
            for (long start = 0; start + batchSize <= count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var rows = order.narrow(0, start, batchSize);
                var loss = nn.functional.cross_entropy(forward(pixels.index_select(0, rows)), labels.index_select(0, rows));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>();
                steps++;
            }

            log?.Invoke($"classifier epoch {epoch + 1}/{epochs}: training cross-entropy {lossSum / steps:F4}");
        }

        eval();
    }

    /// <summary>The predicted class of every image of <paramref name="pixels"/> (Float32 [N, 1, 28, 28] in [0, 255]).</summary>
    public long[] Predict(Tensor pixels)
    {
        using var inference = inference_mode();
        var predictions = new long[pixels.size(0)];
        for (long start = 0; start < predictions.Length; start += 500)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(500, predictions.Length - start);
            forward(pixels.narrow(0, start, length)).argmax(1).data<long>().CopyTo(predictions.AsSpan((int)start, (int)length));
        }

        return predictions;
    }
}
