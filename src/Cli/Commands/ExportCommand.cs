using System.CommandLine;
using Microsoft.ML;
using MLNetFlows.Cli.Commands.Onnx;
using MLNetFlows.Estimators.Cinn;
using MLNetFlows.Estimators.InfoGan;
using MLNetFlows.Onnx;

namespace MLNetFlows.Cli.Commands;

/// <summary>
/// <c>mlnetflows export</c>: writes a trained model zip as an ONNX file, to run with ONNX Runtime without libtorch,
/// dispatching by the kind of model. Glow (detector or density model) and conditional INN (class- or image-conditioned):
/// <c>--direction density</c> (the default; pixels → likelihoods, scores, classes) or <c>sample</c> (latents → images;
/// colorization models also output the colorized RGB image). InfoGAN: <c>--direction
/// infer</c> (the default; the code-inference network, images → codes) or <c>sample</c> (the generator, noise and codes
/// → images). A direction the model does not have is one clear error.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model zip written by 'mlnetflows train glow|cinn|infogan'.", DefaultValueFactory = _ => "glow.zip" };
        var output = new Option<string>("--output") { Description = "ONNX file to write.", DefaultValueFactory = _ => "glow.onnx" };
        var direction = new Option<string?>("--direction")
        {
            Description = "density (Glow, cINN; the default: pixels → likelihood, score, class), sample (latent → image; InfoGAN: the generator) or infer (InfoGAN, the default: image → codes).",
        };
        direction.AcceptOnlyFromAmong("density", "sample", "infer");
        var command = new Command("export", "Export a trained Glow, conditional INN or InfoGAN to ONNX, to run it with ONNX Runtime without libtorch.") { model, output, direction };
        command.SetAction(r =>
        {
            var path = r.GetValue(output)!;
            OutputFiles.RequireFolder(path, "--output");
            TorchSettings.Apply(1);
            var ml = new MLContext(0);
            var modelPath = r.GetValue(model)!;
            var loaded = ExportableModelFile.Load(ml, modelPath);
            string written;
            try
            {
                written = Export(loaded, modelPath, path, r.GetValue(direction));
            }
            finally
            {
                (loaded as IDisposable)?.Dispose();
            }

            Console.WriteLine($"wrote {path} ({new FileInfo(path).Length} bytes, {written}, ONNX opset {MLNetFlows.Onnx.Graph.OnnxOpset.Version})");
            return 0;
        });
        return command;
    }

    /// <summary>Exports <paramref name="model"/> in <paramref name="direction"/> (null: the model's default); returns what was written.</summary>
    private static string Export(ITransformer model, string modelPath, string path, string? direction)
    {
        switch (model)
        {
            case ConditionalInnTransformer cinn:
                var cinnDirection = direction switch
                {
                    null or "density" => ConditionalInnOnnxDirection.Density,
                    "sample" => ConditionalInnOnnxDirection.Sample,
                    _ => throw Unsupported(modelPath, "a conditional INN", direction, "density or sample"),
                };
                ConditionalInnOnnxExporter.Export(cinn, path, cinnDirection);
                return $"conditional INN, {cinnDirection.ToString().ToLowerInvariant()} direction";
            case ImageConditionalInnTransformer imageCinn:
                var kind = imageCinn.IsColorization ? "a colorization INN" : "an image-conditioned INN";
                var imageDirection = direction switch
                {
                    null or "density" => ConditionalInnOnnxDirection.Density,
                    "sample" => ConditionalInnOnnxDirection.Sample,
                    _ => throw Unsupported(modelPath, kind, direction, "density or sample"),
                };
                ImageConditionalInnOnnxExporter.Export(imageCinn, path, imageDirection);
                return $"{kind[(kind.IndexOf(' ') + 1)..]}, {imageDirection.ToString().ToLowerInvariant()} direction";
            case InfoGanTransformer infoGan:
                var network = direction switch
                {
                    null or "infer" => InfoGanOnnxNetwork.Recognition,
                    "sample" => InfoGanOnnxNetwork.Generator,
                    _ => throw Unsupported(modelPath, "an InfoGAN (it has no density)", direction, "infer (code inference) or sample (generator)"),
                };
                InfoGanOnnxExporter.Export(infoGan, path, network);
                return network == InfoGanOnnxNetwork.Generator ? "InfoGAN generator, sample direction" : "InfoGAN code inference, infer direction";
            default:
                var glowDirection = direction switch
                {
                    null or "density" => GlowOnnxDirection.Density,
                    "sample" => GlowOnnxDirection.Sample,
                    _ => throw Unsupported(modelPath, "a Glow", direction, "density or sample"),
                };
                GlowOnnxExporter.Export(model, path, glowDirection);
                return $"{glowDirection.ToString().ToLowerInvariant()} direction";
        }
    }

    private static CliFailureException Unsupported(string modelPath, string kind, string direction, string expected) =>
        new($"'{modelPath}' holds {kind}, which has no '{direction}' direction: use --direction {expected}");
}
