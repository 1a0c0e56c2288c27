using BenchmarkDotNet.Attributes;
using FieldTheory.Compute;

namespace FieldTheory.Benchmarks;

/// <summary>
/// Each case's engine run, with its Python baseline timed once in [GlobalSetup] of the same benchmark process and
/// written to the log ("baseline: ...") together with the load average; <see cref="Program"/> prints the ratios.
/// </summary>
[MemoryDiagnoser(false)]
public class EnsembleBenchmarks
{
    private ComputeDevice _device = null!;

    [GlobalSetup(Target = nameof(TwoLayerTanh))]
    public void TwoLayerSetup()
    {
        Setup();
        Report("two-layer", PythonBaseline.Seconds("two_layer_numpy.py", "4000", "512", "160"));
    }

    [GlobalSetup(Target = nameof(DeepTanh))]
    public void DeepSetup()
    {
        Setup();
        Report("deep", PythonBaseline.Seconds("deep_torch.py", "16", "512", "64", "100", "64"));
    }

    [GlobalCleanup]
    public void Cleanup() => _device.Dispose();

    /// <summary>Two-layer tanh, P = 1, N = 512, E = 4000, 160 steps (baseline: NumPy).</summary>
    [Benchmark]
    public object TwoLayerTanh() => EnsembleCases.TwoLayer(_device);

    /// <summary>L = 3 tanh, N = 512, P = 64, E = 16, 100 steps (baseline: PyTorch CPU).</summary>
    [Benchmark]
    public object DeepTanh() => EnsembleCases.Deep(_device);

    private void Setup() => _device = ComputeDevice.Create("cpu");

    private static void Report(string name, double seconds) =>
        Console.WriteLine(FormattableString.Invariant($"baseline: {name} {seconds:0.000} s (load average {PythonBaseline.LoadAverage()})"));
}
