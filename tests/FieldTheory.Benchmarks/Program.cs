using System.Diagnostics;
using BenchmarkDotNet.Running;
using FieldTheory.Compute;

namespace FieldTheory.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- --filter '*'</c> runs the BenchmarkDotNet cases (add <c>--job short</c> for 3 iterations);
/// <c>dotnet run -c Release -- ratios [rounds]</c> alternates engine and baseline runs of each case and prints the
/// throughput ratios with the load average: the quick measurement docs/ensembles.md quotes. <c>ratios [rounds] cuda</c>
/// trains on the GPU (the baselines stay where they are: NumPy on the CPU, PyTorch where FTC_TORCH_DEVICE says).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "ratios")
        {
            Ratios(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1, args.Length > 2 ? args[2] : "cpu");
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    private static void Ratios(int rounds, string deviceName)
    {
        using ComputeDevice device = ComputeDevice.Create(deviceName);
        Console.WriteLine($"engine: {EnsembleCases.TwoLayer(device).Device} | {EnsembleCases.Deep(device).Device}");
        for (int round = 0; round < rounds; round++)
        {
            Compare("two-layer tanh P=1 N=512 E=4000 T=160 vs NumPy", 161, () => EnsembleCases.TwoLayer(device), () => PythonBaseline.Seconds("two_layer_numpy.py", "4000", "512", "160"));
            Compare("L=3 tanh N=512 P=64 E=16 T=100 vs PyTorch", 101, () => EnsembleCases.Deep(device), () => PythonBaseline.Seconds("deep_torch.py", "16", "512", "64", "100", "64"));
        }
    }

    private static void Compare(string name, int steps, Action engine, Func<double> baseline)
    {
        string before = PythonBaseline.LoadAverage();
        var clock = Stopwatch.StartNew();
        engine();
        double engineSeconds = clock.Elapsed.TotalSeconds;
        double baselineSeconds = baseline();
        Console.WriteLine(FormattableString.Invariant(
            $"{name}: engine {1000 * engineSeconds / steps:0.00} ms/step, baseline {1000 * baselineSeconds / steps:0.00} ms/step, ratio {baselineSeconds / engineSeconds:0.00}x (load average {before} -> {PythonBaseline.LoadAverage()})"));
    }
}
