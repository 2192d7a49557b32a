using MLNetFlows.Onnx.Graph;
using Onnx;

namespace MLNetFlows.Onnx.Cinn;

/// <summary>
/// The latent → image direction of an image-conditioned INN as an ONNX graph, the exact inverse of the density direction
/// (ConditionalInnModel.Decode): the concatenated latents [N, D] and the condition images [N, Cc, h, w] (through the
/// conditioning network) → inverse levels → crop to the image size. Outputs <c>Image</c> (model-space values),
/// <c>Sample</c> (quantised to the model's bits, pixel values in [0, 255], the transformer's Sample column) and, for
/// colorization models, <c>Colorized</c>: the condition's lightness Y with the sampled chroma (Cb, Cr) as planar RGB,
/// clamped to [0, 255], the transformer's Colorized column (YCbCrColor.ToRgb as one 1×1 convolution).
/// </summary>
internal static class ImageConditionalInnSamplerGraph
{
    // Full-range BT.601 (YCbCrColor): R = Y + 1.402·Cr', B = Y + 1.772·Cb', G = (Y − 0.299·R − 0.114·B) / 0.587, with
    // Cb' = Cb − 127.5 and Cr' = Cr − 127.5; the rows below are R, G and B over (Y, Cb', Cr').
    private const double Kr = 0.299;
    private const double Kb = 0.114;
    private const double Kg = 1 - Kr - Kb;
    private const double CbScale = 2 * (1 - Kb);
    private const double CrScale = 2 * (1 - Kr);
    private const double NeutralChroma = 127.5;

    private static readonly double[] RgbFromYCbCr =
    [
        1, 0, CrScale,
        1, -Kb * CbScale / Kg, -Kr * CrScale / Kg,
        1, CbScale, 0,
    ];

    public static ModelProto Build(StateWeights weights, ImageConditionalInnOnnxDescription description)
    {
        var architecture = description.Architecture;
        var graph = new OnnxGraphBuilder("image_cinn_sampler");
        var (channels, height, width) = (description.Channels, description.Height, description.Width);
        var latent = graph.Input(ImageConditionalInnOnnxNames.Latent, architecture.Dimensions);
        var condition = graph.Input(description.ConditionColumnName, description.ConditionChannels, height, width);
        var flow = new ConditionalInnFlowGraph(graph, architecture, weights, ConditionalInnFlowGraph.ConditionInjection.ImageFeatures,
            ImageConditionNetworkGraph.Prepare(graph, architecture, condition, height, width));
        var image = flow.Crop(flow.Decode(latent), height, width);
        graph.Output(image, ImageConditionalInnOnnxNames.Image, TensorProto.Types.DataType.Float, channels, height, width);
        var sample = flow.ToPixels(image, description.Bits);
        graph.Output(sample, ImageConditionalInnOnnxNames.Sample, TensorProto.Types.DataType.Float, channels, height, width);
        if (description.IsColorization)
        {
            var ycbcr = graph.Concat(1, condition, graph.Sub(sample, graph.Scalar("neutral_chroma", NeutralChroma)));
            var rgb = graph.Node("Conv", [ycbcr, graph.Constant("rgb_from_ycbcr", RgbFromYCbCr, 3, 3, 1, 1)], OnnxGraphBuilder.Ints("kernel_shape", 1, 1));
            graph.Output(graph.Clip(rgb, 0, 255), ImageConditionalInnOnnxNames.Colorized, TensorProto.Types.DataType.Float, 3, height, width);
        }

        return graph.Build(description.ToMetadata(), "Image-conditioned INN decoder: latents and condition images to images (MLNetFlows export)");
    }
}
