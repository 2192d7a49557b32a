namespace MLNetFlows.Onnx;

/// <summary>
/// Input and output names of the graphs <see cref="InfoGanOnnxExporter"/> writes. The recognition graph's input is named
/// after the transformer's feature column (<c>Features</c> by default) and its outputs after the transformer's columns
/// (<c>Category</c>, <c>CategoryProbabilities</c>, <c>Category1</c>, …, <c>Continuous</c>; the classes are 0-based int64
/// indices, ML.NET's key value − 1).
/// </summary>
public static class InfoGanOnnxNames
{
    /// <summary>Generator input: the incompressible noise [N, Z] (the prior: uniform in [−1, 1]); absent when Z = 0.</summary>
    public const string Noise = "Noise";

    /// <summary>Generator input: the one-hot rows of every categorical code side by side, float32 [N, Σ Kᵢ]; absent without categorical codes.</summary>
    public const string Categories = "Categories";

    /// <summary>Generator input: the continuous codes [N, M] (the prior: uniform in [−1, 1]); absent without continuous codes. Also the recognition graph's output of their means.</summary>
    public const string Continuous = "Continuous";

    /// <summary>Generator output: the image [N, C, H, W] in [0, 1].</summary>
    public const string Image = "Image";

    /// <summary>Generator output: the image as pixel values in [0, 255] (Image × 255), [N, C, H, W].</summary>
    public const string Pixels = "Pixels";
}
