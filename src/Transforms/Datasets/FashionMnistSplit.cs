namespace MLNetFlows.Transforms.Datasets;

/// <summary>The two splits of Fashion-MNIST, as published.</summary>
public enum FashionMnistSplit
{
    /// <summary>The 60 000 training images (<c>train-*-idx*-ubyte.gz</c>).</summary>
    Train = 0,

    /// <summary>The 10 000 test images (<c>t10k-*-idx*-ubyte.gz</c>).</summary>
    Test = 1,
}
