using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using FieldTheory.Convolutions.Benchmarks;

// BenchmarkDotNet times the C# ensemble (short job: the machine is shared); the PyTorch baseline of the same
// architecture, data size, members and steps runs right after with the same thread count, and the ratio is printed.
// "--stopwatch" skips BenchmarkDotNet and times three runs directly (for loaded machines and quick checks).
int threads = Environment.ProcessorCount;
double csharp;
if (args.Contains("--stopwatch"))
{
    var benchmark = new CnnEnsembleBenchmark { Width = 16 };
    benchmark.Setup();
    benchmark.TrainEnsemble();
    var times = new List<double>();
    for (int i = 0; i < 3; i++)
    {
        var clock = Stopwatch.StartNew();
        benchmark.TrainEnsemble();
        times.Add(clock.Elapsed.TotalSeconds);
    }

    csharp = times.Order().ElementAt(1);
}
else
{
    IConfig config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithWarmupCount(1).WithIterationCount(3));
    Summary summary = BenchmarkRunner.Run<CnnEnsembleBenchmark>(config, args);
    csharp = summary.Reports[0].ResultStatistics!.Median / 1e9;
}

string script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../baselines/cnn_torch.py"));
double memberSteps = CnnEnsembleBenchmark.Members * CnnEnsembleBenchmark.Steps;
Console.WriteLine($"C# (im2col + OpenBLAS, members in parallel) median {csharp:F3} s ({memberSteps / csharp:F1} member-steps/s), {threads} threads");
foreach (string mode in new[] { "grouped", "loop" })
{
    var start = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3",
        $"\"{script}\" 16 {CnnEnsembleBenchmark.Members} {CnnEnsembleBenchmark.Steps} {CnnEnsembleBenchmark.Train} {threads} {mode}") { RedirectStandardOutput = true };
    using Process python = Process.Start(start)!;
    string line = python.StandardOutput.ReadToEnd().Trim();
    python.WaitForExit();
    double torch = System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("seconds").GetDouble();
    Console.WriteLine($"PyTorch {mode}: {torch:F3} s ({line}); C# speed-up {torch / csharp:F2}x");
}
