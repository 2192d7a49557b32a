using System.CommandLine;
using Microsoft.ML;
using MLNetFlows.Cli.Commands.Onnx;
using MLNetFlows.Onnx;

namespace MLNetFlows.Cli.Commands;

/// <summary>
/// <c>mlnetflows export</c>: writes a trained Glow (detector or density model zip) as an ONNX file, to score with ONNX
/// Runtime without libtorch (<c>mlnetflows score --engine onnx</c>, ML.NET's <c>ApplyOnnxModel</c>,
/// MLNetFlows.OnnxScoring). <c>--direction density</c> (default) maps pixels to log-likelihood, bits/dim, per-level
/// bits/dim and the detector's score and label; <c>--direction sample</c> maps latents to images.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var output = new Option<string>("--output") { Description = "ONNX file to write.", DefaultValueFactory = _ => "glow.onnx" };
        var direction = new Option<string>("--direction") { Description = "density (pixels → likelihood and score) or sample (latent → image).", DefaultValueFactory = _ => "density" };
        direction.AcceptOnlyFromAmong("density", "sample");
        var command = new Command("export", "Export a trained Glow to ONNX, to score it with ONNX Runtime without libtorch.") { model, output, direction };
        command.SetAction(r =>
        {
            var path = r.GetValue(output)!;
            OutputFiles.RequireFolder(path, "--output");
            var chosen = r.GetValue(direction) == "sample" ? GlowOnnxDirection.Sample : GlowOnnxDirection.Density;
            TorchSettings.Apply(1);
            var ml = new MLContext(0);
            var loaded = GlowModelFile.Load(ml, r.GetValue(model)!);
            try
            {
                GlowOnnxExporter.Export(loaded, path, chosen);
            }
            finally
            {
                (loaded as IDisposable)?.Dispose();
            }

            Console.WriteLine($"wrote {path} ({new FileInfo(path).Length} bytes, {chosen.ToString().ToLowerInvariant()} direction, ONNX opset {MLNetFlows.Onnx.Graph.OnnxOpset.Version})");
            return 0;
        });
        return command;
    }
}
