using FieldTheory.Cli;
using FieldTheory.Cli.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("ftc");
    config.SetApplicationVersion(typeof(UserInputException).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
    config.PropagateExceptions();
    config.AddCommand<ModelsCommand>("models")
        .WithDescription("List the built-in model catalogue.");
    config.AddCommand<DescribeCommand>("describe")
        .WithDescription("Show a model: depth, phi and its derivatives, smoothness, closed-form family, values.")
        .WithExample("describe", "TwoLayerTanh", "--at", "-1,0,1")
        .WithExample("describe", "--model-file", "MyModel.cs", "--json");
    config.AddCommand<RunCommand>("run")
        .WithDescription("Run an experiment file (finite-width ensembles) and write its result JSON.")
        .WithExample("run", "experiment.json", "--out", "result.json")
        .WithExample("run", "experiment.json", "--device", "cuda");
    config.AddCommand<CnnCommand>("cnn")
        .WithDescription("Run a CNN width sweep: bias and variance of the test loss over initialisations, extrapolated in 1/N.")
        .WithExample("cnn", "cnn-experiment.json", "--out", "result.json")
        .WithExample("cnn", "--quick");
});

return CliErrors.Run(() => app.Run(args));
