using System.CommandLine;
using MLNetFlows.Cli;

var root = new RootCommand("mlnetflows: train and use generative image models (Glow, cINN, InfoGAN) on libtorch.");
root.Subcommands.Add(DemoCommand.Create());
return CliErrors.Run(() => root.Parse(args).Invoke());
