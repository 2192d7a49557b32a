using System.CommandLine;
using MLNetFlows.Cli;
using MLNetFlows.Cli.Commands;

var root = new RootCommand("mlnetflows: train and use generative image models (Glow) in ML.NET pipelines, on TorchSharp (libtorch).")
{
    TrainCommand.Create(),
    ScoreCommand.Create(),
    SampleCommand.Create(),
    EvaluateCommand.Create(),
    DemoCommand.Create(),
    MLNetFlows.Cli.Commands.InfoGan.InfoGanInferCommand.Create(),
    MLNetFlows.Cli.Commands.Cinn.ColorizeCommand.Create(),
    ExportCommand.Create(),
};
return CliErrors.Run(() =>
{
    var parsed = root.Parse(args);
    if (parsed.Errors.Count > 0)
    {
        // One line, like every other failure ('--help' shows the usage).
        Console.Error.WriteLine($"mlnetflows: error: {string.Join("; ", parsed.Errors.Select(e => CliErrors.OneLine(e.Message)))}");
        return CliErrors.Failure;
    }

    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
});
