using System.Globalization;
using MLNetFlows.Bench;
using MLNetFlows.Torch;

// Usage: MLNetFlows.Bench ops  [--threads N] [--quick]
//        MLNetFlows.Bench glow [--threads N] [--quick] [--levels L] [--steps K] [--hidden H] [--batch-sizes 32,64]
var threads = 2;
var quick = false;
int levels = 3, steps = 8, hidden = 128;
int[] batchSizes = [32, 64, 128];
if (args.Length == 0 || args[0] is not ("ops" or "glow"))
{
    Console.Error.WriteLine("usage: MLNetFlows.Bench ops|glow [--threads N] [--quick] [--levels L] [--steps K] [--hidden H] [--batch-sizes a,b]");
    return 2;
}

for (var i = 1; i < args.Length; i++)
{
    int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--threads": threads = Next(); break;
        case "--quick": quick = true; break;
        case "--levels": levels = Next(); break;
        case "--steps": steps = Next(); break;
        case "--hidden": hidden = Next(); break;
        case "--batch-sizes": batchSizes = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'");
            return 2;
    }
}

TorchRuntime.NumThreads = threads;
TorchRuntime.SetFlushDenormal(true);
TorchRuntime.ManualSeed(0);
if (args[0] == "ops")
{
    OpsBenchmark.Run(quick);
}
else
{
    GlowBenchmark.Run(levels, steps, hidden, batchSizes, quick);
}

return 0;
