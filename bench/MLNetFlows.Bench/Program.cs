using System.Globalization;
using MLNetFlows.Bench;
using MLNetFlows.Models.Runtime;
using TorchSharp;

// Usage: MLNetFlows.Bench glow [--threads N] [--quick] [--levels L] [--steps K] [--hidden H] [--batch-sizes 32,64]
//                              [--rounds R] [--variants folded-cl-flush,unfolded-nchw-keep,...] [--train-only|--score-only]
//        MLNetFlows.Bench glow-ops --threads 1 [--levels L] [--steps K] [--hidden H] [--batch N]
//        MLNetFlows.Bench score-parallel [--threads T] [--batch N] [--rounds R] [--quick]
//        MLNetFlows.Bench conv-gradients [--threads N] [--layout nchw|channels-last] [--batch N]
//        MLNetFlows.Bench onnx-score [--threads N] [--quick] [--levels L] [--steps K] [--hidden H] [--batch-sizes 32,64] [--rounds R]
//        MLNetFlows.Bench infogan [--threads N] [--minutes M] [--batch B]   (parses its own options)
//        MLNetFlows.Bench colorize [--threads N] [--minutes M] …   (parses its own options; see Cinn/ColorizationBenchmark.cs)
//        MLNetFlows.Bench onnx-score-cinn [--threads N] [--quick] [--batch-sizes 32,64] [--rounds R] [--blocks K] [--hidden H]
//        MLNetFlows.Bench cinn [--threads N] [--seconds S] [--batch B] [--blocks K] [--hidden H]   (parses its own options)
if (args is ["cinn", ..])
{
    return MLNetFlows.Bench.Cinn.CinnBenchmark.Run(args[1..]);
}

if (args is ["colorize", ..])
{
    return MLNetFlows.Bench.Cinn.ColorizationBenchmark.Run(args[1..]);
}

if (args is ["onnx-score-cinn", ..])
{
    return MLNetFlows.Bench.Onnx.ConditionalInnOnnxScoringBenchmark.Run(args[1..]);
}

if (args is ["infogan", ..])
{
    return MLNetFlows.Bench.InfoGan.InfoGanBenchmark.Run(args[1..]);
}

if (args.Length == 0 || args[0] is not ("glow" or "glow-ops" or "score-parallel" or "conv-gradients" or "onnx-score"))
{
    Console.Error.WriteLine("usage: MLNetFlows.Bench glow|glow-ops|score-parallel|conv-gradients|onnx-score [options] (see bench/MLNetFlows.Bench/Program.cs)");
    return 2;
}

var settings = new BenchSettings();
for (var i = 1; i < args.Length; i++)
{
    int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--threads": settings.Threads = Next(); break;
        case "--quick": settings.Quick = true; break;
        case "--levels": settings.Levels = Next(); break;
        case "--steps": settings.Steps = Next(); break;
        case "--hidden": settings.Hidden = Next(); break;
        case "--rounds": settings.Rounds = Next(); break;
        case "--batch": settings.BatchSizes = [Next()]; break;
        case "--batch-sizes": settings.BatchSizes = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--variants": settings.Variants = args[++i].Split(',').Select(GlowVariant.Parse).ToArray(); break;
        case "--train-only": settings.Score = false; break;
        case "--score-only": settings.Train = false; break;
        case "--layout": settings.ChannelsLast = args[++i] != "nchw"; break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'");
            return 2;
    }
}

TorchRuntime.EnsureInitialized();
torch.set_num_threads(settings.Threads);
if (args[0] == "glow")
{
    GlowBenchmark.Run(settings);
}
else if (args[0] == "glow-ops")
{
    GlowOperationTimings.Run(settings);
}
else if (args[0] == "onnx-score")
{
    MLNetFlows.Bench.Onnx.OnnxScoringBenchmark.Run(settings);
}
else if (args[0] == "score-parallel")
{
    GlowScoringParallelism.Run(settings);
}
else
{
    ConvolutionGradientCheck.Run(settings);
}

return 0;
