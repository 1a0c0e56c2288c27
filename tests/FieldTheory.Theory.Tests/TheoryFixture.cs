using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Results;
using FieldTheory.Theory;

namespace FieldTheory.Theory.Tests;

/// <summary>Shared helpers: experiments from JSON, one CPU device per test class, models by name.</summary>
internal static class TheoryFixture
{
    public static NetworkModel Model(string name) => BuiltInModels.Catalogue.Get(name);

    /// <summary>An experiment on inline data with a theory section.</summary>
    public static Experiment Experiment(string data, double gamma0, double eta, int steps, string theory, bool centered = false) =>
        ExperimentParser.Parse($$"""
            { "model": "TwoLayerTanh", "data": {{data}}, "gamma0": {{gamma0}}, "eta": {{eta}}, "steps": {{steps}},
              "centered": {{(centered ? "true" : "false")}}, "theory": {{theory}} }
            """);

    public static TheoryResult TwoLayer(Experiment experiment, string model, ComputeDevice device, int? threads = null) =>
        TheoryRunner.TwoLayer(experiment, Model(model), DataFactory.Build(experiment.Data), device, threads, null, CancellationToken.None);
}

/// <summary>One CPU accelerator for a test class.</summary>
public sealed class DeviceFixture : IDisposable
{
    public ComputeDevice Device { get; } = ComputeDevice.Create("cpu");

    public void Dispose() => Device.Dispose();
}
