using MLNetFlows.Torch.NN;

namespace MLNetFlows.Torch.Tests;

internal static class TinyNets
{
    /// <summary>A small conv classifier for 1×H×W images with H, W divisible by 4 → 10 logits.</summary>
    public static Sequential Classifier(int side = 12) => new(
        new Conv2d(1, 8, 3, stride: 2, padding: 1),
        new ReLU(),
        new Conv2d(8, 16, 3, stride: 2, padding: 1),
        new BatchNorm2d(16),
        new ReLU(),
        new Flatten(),
        new Linear(16 * (side / 4) * (side / 4), 10));
}
