using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using FieldTheory.Theory.Benchmarks;

// BenchmarkDotNet times the C# solver (short job: the machine is shared); the NumPy baseline of the same integration
// runs right after in the same process tree, and the ratio is printed.
IConfig config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(5));
Summary summary = BenchmarkRunner.Run<TwoLayerBenchmark>(config, args);
double csharp = summary.Reports[0].ResultStatistics!.Median / 1e9;

string script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../baselines/two_layer_dmft_numpy.py"));
var start = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3", $"\"{script}\" 160 320 5") { RedirectStandardOutput = true };
using Process python = Process.Start(start)!;
string line = python.StandardOutput.ReadToEnd().Trim();
python.WaitForExit();
double numpy = System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("seconds").GetDouble();
Console.WriteLine($"C# (ILGPU CPU) median {csharp * 1e3:F1} ms; NumPy median {numpy * 1e3:F1} ms ({line}); speed-up {numpy / csharp:F2}x");
