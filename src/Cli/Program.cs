using System.CommandLine;
using MLNetFlows.Cli;
using MLNetFlows.Cli.Commands;

var root = new RootCommand("mlnetflows: train and use generative image models (Glow) on libtorch.")
{
    TrainCommand.Create(),
    ScoreCommand.Create(),
    SampleCommand.Create(),
    EvaluateCommand.Create(),
    DemoCommand.Create(),
};
return CliErrors.Run(() => root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
