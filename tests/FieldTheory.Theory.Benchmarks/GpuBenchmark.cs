using System.Diagnostics;
using System.Text.Json;
using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Results;
using FieldTheory.Theory.Deep;
using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;
using ILGPU;
using ILGPU.Runtime;

namespace FieldTheory.Theory.Benchmarks;

/// <summary>
/// The theory's CUDA paths against its CPU paths on the issue's two benchmark cases, in one process: the two-layer
/// forward integration (SIMD host solver, the ILGPU kernel on CUDA, and the NumPy baseline in a child process) and the
/// deep tanh single-site process (host Parallel.For backend against the ILGPU kernels on CUDA). Prints the timings, the
/// ratios and the largest difference between the devices over every series; exits with 1 when a difference exceeds
/// its tolerance (the device check of tests/gpu/run-on-device.sh) and 2 when no CUDA device is visible. Also prints the
/// driver's round-trip latency, the floor under any solver that launches kernels every step.
/// </summary>
internal static class GpuBenchmark
{
    /// <summary>
    /// Largest accepted |CUDA - CPU| in any two-layer series. The kernels are the same arithmetic; the GPU's tanh and exp
    /// differ from the host's in the last bit, and T steps of feedback through Delta amplify that by at most a few hundred.
    /// </summary>
    private const double TwoLayerTolerance = 1e-9;

    /// <summary>
    /// The same for the deep solver, whose Gaussian paths come from a Cholesky factor of nearly singular temporal kernels
    /// (BorderedCholesky): last-bit differences grow to 1.3e-8 over T = 100 on an H200, against sampling errors of ~1e-3.
    /// </summary>
    private const double DeepTolerance = 1e-6;

    /// <param name="repeats">Timed runs per case (the median is reported).</param>
    /// <param name="deepSteps">T of the deep case.</param>
    /// <param name="kernelDevice">"cuda", or "cpu" to run the same check on ILGPU's CPU accelerator (no GPU needed).</param>
    public static int Run(int repeats, int deepSteps, string kernelDevice)
    {
        using var cpu = ComputeDevice.Create("cpu");
        ComputeDevice cuda;
        try
        {
            cuda = ComputeDevice.Create(kernelDevice);
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine(e.Message);
            return 2;
        }

        using (cuda)
        {
            Console.WriteLine($"{cuda.Describe()}; host {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Trim()}");
            Latency(cuda);
            bool twoLayerAgrees = TwoLayer(cpu, cuda, repeats);
            bool deepAgrees = Deep(cuda, repeats, deepSteps);
            return twoLayerAgrees && deepAgrees ? 0 : 1;
        }
    }

    // What one driver round trip costs on this machine: the floor under any solver that launches kernels every step.
    private static void Latency(ComputeDevice device)
    {
        const int Calls = 500;
        using var buffer = device.Accelerator.Allocate1D<double>(1);
        var launch = device.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>>(Increment);
        var host = new double[1];
        launch(1, buffer.View);
        device.Accelerator.Synchronize();
        double queued = Seconds(() =>
        {
            for (int i = 0; i < Calls; i++)
            {
                launch(1, buffer.View);
            }

            device.Accelerator.Synchronize();
        });
        double synchronised = Seconds(() =>
        {
            for (int i = 0; i < Calls; i++)
            {
                launch(1, buffer.View);
                device.Accelerator.Synchronize();
            }
        });
        double copies = Seconds(() =>
        {
            for (int i = 0; i < Calls; i++)
            {
                buffer.View.BaseView.CopyToCPU(host.AsSpan());
            }
        });
        Console.WriteLine($"driver latency: queued launch {queued / Calls * 1e6:F1} us, launch + synchronise {synchronised / Calls * 1e6:F1} us, " +
            $"8-byte copy to the host {copies / Calls * 1e6:F1} us");
    }

    private static void Increment(Index1D index, ArrayView<double> x) => x[index] += 1.0;

    private static double Seconds(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    private static bool TwoLayer(ComputeDevice cpu, ComputeDevice cuda, int repeats)
    {
        Experiment experiment = ExperimentParser.Parse(TwoLayerBenchmark.ExperimentJson);
        NetworkModel model = BuiltInModels.Catalogue.Get("TwoLayerTanh");
        Dataset data = DataFactory.Build(experiment.Data);
        Series Solve(ComputeDevice device) => device == cpu
            ? TheoryRunner.TwoLayer(experiment, model, data, device, null, null, CancellationToken.None).Mean
            : TwoLayerKernel(device);

        double difference = MaxDifference(Solve(cpu), Solve(cuda));
        double host = Median(repeats, () => Solve(cpu));
        double gpu = Median(repeats, () => Solve(cuda));
        string numpy = NumPy(repeats) is { } baseline
            ? $"NumPy {baseline.GetProperty("numpy").GetString()} {baseline.GetProperty("seconds").GetDouble() * 1e3:F1} ms; " +
              $"{Label(cuda)} {baseline.GetProperty("seconds").GetDouble() / gpu:F1}x NumPy, CPU {baseline.GetProperty("seconds").GetDouble() / host:F1}x NumPy"
            : "NumPy baseline failed (set FTC_PYTHON to an interpreter with numpy)";
        Console.WriteLine($"two-layer P = 1, T = 320, 25600 sites: CPU SIMD {host * 1e3:F1} ms, {Label(cuda)} {gpu * 1e3:F1} ms; {numpy}; " +
            $"max |{Label(cuda)} - CPU| over every series {difference:E2}");
        return Report("two-layer", difference, TwoLayerTolerance);
    }

    private static bool Deep(ComputeDevice cuda, int repeats, int steps)
    {
        Experiment experiment = ExperimentParser.Parse(SideBySide.DeepExperimentJson);
        NetworkModel model = BuiltInModels.Catalogue.Get("DeepTanh");
        Dataset data = DataFactory.Build(experiment.Data);
        var host = new DeepSolverOptions(TangentSamples: 256, ErrorReplicas: 0, Backend: DeepBackend.Cpu);
        var kernels = host with { Backend = DeepBackend.Kernel };
        DeepResult Solve(DeepSolverOptions options) =>
            DeepSolver.Solve(model, data.InputGram(), data.Count, data.Y, 1.0, 0.1, steps, false, 4096, 1, options, device: cuda);

        double difference = MaxDifference(Solve(host).ToTheoryResult(false).Mean, Solve(kernels).ToTheoryResult(false).Mean);
        double hostSeconds = Median(repeats, () => Solve(host));
        double gpuSeconds = Median(repeats, () => Solve(kernels));
        Console.WriteLine($"deep tanh L = 3, P = 4, T = {steps}, 4096 + 256 samples: host Parallel.For {hostSeconds:F2} s, {Label(cuda)} kernels {gpuSeconds:F2} s " +
            $"({hostSeconds / gpuSeconds:F1}x); max |{Label(cuda)} - host| over every series {difference:E2}");
        return Report("deep", difference, DeepTolerance);
    }

    // The ILGPU kernel path whatever the device (on CUDA TheoryRunner picks it anyway; on the CPU accelerator it would not).
    private static Series TwoLayerKernel(ComputeDevice device)
    {
        (TwoLayerProblem problem, SiteRule rule, ITwoLayerSolver solver) = TwoLayerBenchmark.KernelCase(device);
        return solver.Solve(problem, rule, null, null, CancellationToken.None).Mean;
    }

    private static string Label(ComputeDevice device) => device.IsGpu ? "CUDA" : "ILGPU CPU accelerator";

    private static bool Report(string name, double difference, double tolerance)
    {
        bool agrees = difference <= tolerance;
        Console.WriteLine($"CHECK {name}: {(agrees ? "PASS" : "FAIL")} (max difference {difference:E2}, tolerance {tolerance:E0})");
        return agrees;
    }

    private static double Median(int repeats, Action action)
    {
        var times = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times.Add(clock.Elapsed.TotalSeconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private static double MaxDifference(Series a, Series b)
    {
        IEnumerable<double> Flat(Series s) => s.F.SelectMany(x => x)
            .Concat(s.Delta.SelectMany(x => x))
            .Concat(s.Ntk.SelectMany(x => x.SelectMany(y => y)))
            .Concat(s.Loss);
        return Flat(a).Zip(Flat(b), (x, y) => Math.Abs(x - y)).Max();
    }

    private static JsonElement? NumPy(int repeats)
    {
        try
        {
            string script = Baselines.Script("two_layer_dmft_numpy.py");
            using Process process = Process.Start(new ProcessStartInfo(Baselines.Python, $"\"{script}\" 56 320 {repeats}") { RedirectStandardOutput = true })!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return process.ExitCode == 0 && lines.Length > 0 ? JsonDocument.Parse(lines[^1]).RootElement.Clone() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no such interpreter
        }
    }
}
