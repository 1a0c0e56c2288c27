using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using FieldTheory.Theory.Benchmarks;

// Default: both cases of the issue in child processes (time, peak RSS) and the NumPy baseline, side by side.
//   [repeats] [deepSteps]       the side-by-side run (defaults 5 and 100)
//   two-layer|two-layer-ilgpu|deep R [T] [threads]   one case in this process (what the side-by-side run starts)
//   bdn [BenchmarkDotNet args]  the BenchmarkDotNet job of the two-layer solver (allocations, statistics)
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkRunner.Run<TwoLayerBenchmark>(DefaultConfig.Instance.AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(5)), args[1..]);
}
else if (args.Length > 0 && args[0] is "two-layer" or "two-layer-ilgpu" or "deep")
{
    SideBySide.RunCase(args[0], int.Parse(args[1]), args.Length > 2 ? int.Parse(args[2]) : 100, args.Length > 3 ? int.Parse(args[3]) : null);
}
else
{
    SideBySide.RunAll(args.Length > 0 ? int.Parse(args[0]) : 5, args.Length > 1 ? int.Parse(args[1]) : 100);
}
