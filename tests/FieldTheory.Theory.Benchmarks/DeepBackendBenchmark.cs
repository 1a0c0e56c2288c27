using System.Diagnostics;
using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Theory.Deep;

namespace FieldTheory.Theory.Benchmarks;

/// <summary>
/// The deep solver's two backends (docs/deep-theory-ilgpu.md) timed in one process, interleaved round by round so that
/// a loaded machine slows both alike: the host Parallel.For backend and the ILGPU kernels on the CPU accelerator, on the
/// deep case of <see cref="SideBySide"/> (L = 3 tanh, P = 4, 4096 field and 256 tangent samples) with T steps.
/// </summary>
internal static class DeepBackendBenchmark
{
    public static void Run(int rounds, int steps)
    {
        Experiment experiment = ExperimentParser.Parse(SideBySide.DeepExperimentJson);
        NetworkModel model = BuiltInModels.Catalogue.Get("DeepTanh");
        Dataset data = DataFactory.Build(experiment.Data);
        using var device = ComputeDevice.Create("cpu");
        var host = new DeepSolverOptions(TangentSamples: 256, ErrorReplicas: 0, Backend: DeepBackend.Cpu);
        var kernels = host with { Backend = DeepBackend.Kernel };
        DeepResult Solve(DeepSolverOptions options) =>
            DeepSolver.Solve(model, data.InputGram(), data.Count, data.Y, 1.0, 0.1, steps, false, 4096, 1, options, device: device);

        // Warm-up (kernel compilation, JIT) and the equality of the two on this case.
        double hostDelta = Solve(host).Trajectory.Delta[steps][0];
        double kernelDelta = Solve(kernels).Trajectory.Delta[steps][0];
        Console.WriteLine($"deep tanh L = 3, P = {data.Count}, T = {steps}, 4096 + 256 samples; {device.Describe()}; " +
            $"Delta_0(T): host {hostDelta:R}, kernels {kernelDelta:R}; load {File.ReadAllText("/proc/loadavg").Trim()}");
        for (int r = 0; r < rounds; r++)
        {
            var clock = Stopwatch.StartNew();
            Solve(host);
            double hostSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            Solve(kernels);
            double kernelSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"round {r + 1}: host Parallel.For {hostSeconds:F2} s, ILGPU CPU accelerator {kernelSeconds:F2} s, ratio {kernelSeconds / hostSeconds:F2}");
        }
    }
}
