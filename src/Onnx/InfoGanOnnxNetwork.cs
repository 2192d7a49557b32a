namespace MLNetFlows.Onnx;

/// <summary>Which network of an InfoGAN to export.</summary>
public enum InfoGanOnnxNetwork
{
    /// <summary>The generator G: noise and codes → image (the sampling direction).</summary>
    Generator,

    /// <summary>The code-inference network Q: image → categorical-code probabilities and continuous-code means.</summary>
    Recognition,
}
