using MLNetFlows.Transforms.Datasets;

namespace MLNetFlows.ConditionalInn.Tests;

/// <summary>The first images of Fashion-MNIST (Debian's dataset-fashion-mnist) with their labels.</summary>
internal static class FashionMnistSubset
{
    public static (byte[] Pixels, byte[] Labels) Load(int count, bool train = true, int skip = 0)
    {
        var (images, labels) = FashionMnist.LoadRaw(train ? FashionMnistSplit.Train : FashionMnistSplit.Test);
        var pixels = new byte[count * 784];
        for (var i = 0; i < count; i++)
        {
            images.GetImage(skip + i).Span.CopyTo(pixels.AsSpan(i * 784, 784));
        }

        return (pixels, labels.AsSpan(skip, count).ToArray());
    }
}
