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

namespace FieldTheory.Theory.Benchmarks;

/// <summary>
/// The issue's two benchmark cases, each timed in a fresh child process so that its peak resident memory (VmHWM) is its
/// own: the two-layer forward integration (also run by the NumPy baseline in the same invocation, which evaluates every
/// node of the 8 grids; the C# solver prunes the lightest and folds the rest, and runs once more without pruning) and the deep tanh
/// single-site process (L = 3, P = 4, T = 100, 4096 field and 256 tangent samples per layer, no error replicas).
/// </summary>
internal static class SideBySide
{
    /// <summary>Seconds of untimed two-layer solves before the timed ones.</summary>
    public const double WarmUpSeconds = 1.0;

    /// <summary>Seconds of timed two-layer solves at least (the median is over all of them).</summary>
    public const double TimedSeconds = 1.0;

    /// <summary>The deep case's data: 4 training and 0 test points in D = 8 with a tanh teacher.</summary>
    public const string DeepExperimentJson = """
        { "model": "DeepTanh", "data": { "kind": "gaussian", "dim": 8, "train": 4, "test": 0, "teacher": "tanh", "seed": 3 },
          "gamma0": 1, "eta": 0.1, "steps": 100, "theory": { "sites": 4096 } }
        """;

    /// <summary>Runs one case in this process and prints one JSON line.</summary>
    public static void RunCase(string name, int repeats, int deepSteps, int? threads = null)
    {
        long baseline = Process.GetCurrentProcess().WorkingSet64;
        var times = new List<double>();
        double? coldSeconds = null;
        string description;
        if (name == "two-layer-ilgpu")
        {
            // The previous CPU path: one ILGPU launch and synchronisation per step on the CPU accelerator.
            using var device = ComputeDevice.Create("cpu");
            (TwoLayerProblem problem, SiteRule rule, ITwoLayerSolver solver) = TwoLayerBenchmark.KernelCase(device);
            description = $"ILGPU CPU accelerator; Delta(T) = {solver.Solve(problem, rule, null, null, CancellationToken.None).Mean.Delta[^1][0]:R}";
            for (int r = 0; r < repeats; r++)
            {
                var clock = Stopwatch.StartNew();
                solver.Solve(problem, rule, null, null, CancellationToken.None);
                times.Add(clock.Elapsed.TotalSeconds);
            }
        }
        else if (name is "two-layer" or "two-layer-full")
        {
            using var device = ComputeDevice.Create("cpu");
            Experiment experiment = ExperimentParser.Parse(name == "two-layer" ? TwoLayerBenchmark.ExperimentJson : TwoLayerBenchmark.ExperimentJson.Replace("\"quadrature\"", "\"quadrature\", \"prunedMass\": 0"));
            NetworkModel model = BuiltInModels.Catalogue.Get("TwoLayerTanh");
            Dataset data = DataFactory.Build(experiment.Data);
            var cold = Stopwatch.StartNew();
            TheoryResult result = TheoryRunner.Run(experiment, model, data, device, null, CancellationToken.None);
            coldSeconds = cold.Elapsed.TotalSeconds;
            description = $"{result.Method}; Delta(T) = {result.Mean.Delta[^1][0]:R}";

            // Warm-up to steady state, as BenchmarkDotNet does: the setup code (rule, folding, records) runs once per solve,
            // so the runtime's tiered compilation optimises it only after 30 calls and a 100 ms delay.
            for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < WarmUpSeconds;)
            {
                TheoryRunner.TwoLayer(experiment, model, data, device, threads, null, CancellationToken.None);
            }

            // At least `repeats` solves and at least TimedSeconds of them: a few-millisecond solve is hit whole by a
            // neighbour's burst on the shared machine, so the median needs many of them to be the typical solve.
            for (var timed = Stopwatch.StartNew(); times.Count < repeats || timed.Elapsed.TotalSeconds < TimedSeconds;)
            {
                var clock = Stopwatch.StartNew();
                TheoryRunner.TwoLayer(experiment, model, data, device, threads, null, CancellationToken.None);
                times.Add(clock.Elapsed.TotalSeconds);
            }
        }
        else
        {
            Experiment experiment = ExperimentParser.Parse(DeepExperimentJson.Replace("\"steps\": 100", $"\"steps\": {deepSteps}"));
            NetworkModel model = BuiltInModels.Catalogue.Get("DeepTanh");
            Dataset data = DataFactory.Build(experiment.Data);
            var options = new DeepSolverOptions(TangentSamples: 256, ErrorReplicas: 0, MemoryLimitBytes: 8L << 30);
            long formula = DeepSolver.PeakMemoryBytes(3, data.Count, data.Count, deepSteps, 4096, 256, DeepScheme.OnePass);
            description = $"deep tanh L = 3, P = {data.Count}, T = {deepSteps}, 4096 + 256 tangent samples; formula {formula / 1e6:F0} MB";
            for (int r = 0; r < repeats; r++)
            {
                var clock = Stopwatch.StartNew();
                DeepSolver.Solve(model, data.InputGram(), data.Count, data.Y, 1.0, 0.1, deepSteps, false, 4096, 1, options);
                times.Add(clock.Elapsed.TotalSeconds);
            }
        }

        times.Sort();
        var process = Process.GetCurrentProcess();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            @case = name,
            seconds = times[times.Count / 2],
            solves = times.Count,
            coldSeconds,
            peakBytes = process.PeakWorkingSet64,
            baselineBytes = baseline,
            description,
        }));
    }

    /// <summary>Runs both cases in child processes and the NumPy baseline, and prints the table the README quotes.</summary>
    public static void RunAll(int repeats, int deepSteps)
    {
        string self = Environment.ProcessPath!;
        JsonElement twoLayer = Child(self, $"two-layer {repeats}");
        string script = Baselines.Script("two_layer_dmft_numpy.py");
        JsonElement numpy = Child(Baselines.Python, $"\"{script}\" 56 320 {repeats}");
        JsonElement full = Child(self, $"two-layer-full {repeats}");
        JsonElement kernel = Child(self, $"two-layer-ilgpu {repeats}");
        JsonElement deep = Child(self, $"deep 1 {deepSteps}");
        double csharp = twoLayer.GetProperty("seconds").GetDouble();
        double python = numpy.GetProperty("seconds").GetDouble();
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}; {Environment.ProcessorCount} cores; Vector<double>.Count = {System.Numerics.Vector<double>.Count}");
        Console.WriteLine($"two-layer C#:  median {csharp * 1e3:F1} ms of {twoLayer.GetProperty("solves").GetInt32()} solves after {WarmUpSeconds:F0} s of warm-up (the first solve in the process: {twoLayer.GetProperty("coldSeconds").GetDouble() * 1e3:F1} ms), peak RSS {Mb(twoLayer, "peakBytes")} MB (process start {Mb(twoLayer, "baselineBytes")} MB); {twoLayer.GetProperty("description").GetString()}");
        Console.WriteLine($"two-layer NumPy {numpy.GetProperty("numpy").GetString()}: median {python * 1e3:F1} ms, tracemalloc peak {Mb(numpy, "peakBytes")} MB; Delta(T) = {numpy.GetProperty("deltaT").GetDouble():R}");
        Console.WriteLine($"speed-up over NumPy: {python / csharp:F1}x");
        double fullSeconds = full.GetProperty("seconds").GetDouble();
        Console.WriteLine($"two-layer C# on every node NumPy evaluates (prunedMass 0, folding kept): median {fullSeconds * 1e3:F1} ms of {full.GetProperty("solves").GetInt32()} solves ({python / fullSeconds:F1}x NumPy); {full.GetProperty("description").GetString()}");
        double ilgpu = kernel.GetProperty("seconds").GetDouble();
        Console.WriteLine($"two-layer C# ILGPU CPU accelerator (previous path): median {ilgpu * 1e3:F1} ms ({python / ilgpu:F2}x NumPy), peak RSS {Mb(kernel, "peakBytes")} MB");
        Console.WriteLine($"deep C#: {deep.GetProperty("seconds").GetDouble():F1} s, peak RSS {Mb(deep, "peakBytes")} MB; {deep.GetProperty("description").GetString()}");
    }

    private static string Mb(JsonElement json, string property) => (json.GetProperty(property).GetDouble() / 1e6).ToString("F1");

    private static JsonElement Child(string file, string arguments)
    {
        using Process process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true })!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
