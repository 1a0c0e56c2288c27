using FieldTheory.Cli;
using FieldTheory.Cli.Commands;
using Spectre.Console.Cli;

// --verbose is global: it adds stack traces to unexpected failures (CliErrors).
bool verbose = args.Contains("--verbose") || Environment.GetEnvironmentVariable("FTC_VERBOSE") == "1";
string[] arguments = [.. args.Where(a => a != "--verbose")];

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("ftc");
    config.SetApplicationVersion(FieldTheory.BuildInfo.Version.Split('+')[0]);
    config.PropagateExceptions();
    config.AddCommand<ModelsCommand>("models")
        .WithDescription("List the built-in model catalogue.");
    config.AddCommand<DescribeCommand>("describe")
        .WithDescription("Show a model: depth, phi and its derivatives, smoothness, closed-form family, values.")
        .WithExample("describe", "TwoLayerTanh", "--at", "-1,0,1")
        .WithExample("describe", "--model-file", "MyModel.cs", "--json");
    config.AddCommand<RunCommand>("run")
        .WithDescription("Run an experiment file (ensembles and/or infinite-width theory) and write its result JSON.")
        .WithExample("run", "experiment.json", "--out", "result.json")
        .WithExample("run", "experiment.json", "--device", "cuda");
    config.AddCommand<SweepCommand>("sweep")
        .WithDescription("Run a grid of experiments (resumable, shardable for cluster array jobs), or --collect their results.")
        .WithExample("sweep", "experiment.json", "--grid", "gamma0=0.5,1,2", "--grid", "ensemble.width=128,512", "--out", "sweep")
        .WithExample("sweep", "experiment.json", "--grid", "gamma0=0.5,1,2", "--shard", "2/3", "--out", "sweep")
        .WithExample("sweep", "--collect", "sweep");
    config.AddCommand<ReproduceCommand>("reproduce")
        .WithDescription("Reproduce one of the paper's results (figures, CSV, report), or --list them.")
        .WithExample("reproduce", "--list")
        .WithExample("reproduce", "edge-of-stability", "--quick");
    config.AddCommand<CnnCommand>("cnn")
        .WithDescription("Run a CNN width sweep: bias and variance of the test loss over initialisations, extrapolated in 1/N.")
        .WithExample("cnn", "cnn-experiment.json", "--out", "result.json")
        .WithExample("cnn", "--quick");
});

return CliErrors.Run(() => app.Run(arguments), verbose);
