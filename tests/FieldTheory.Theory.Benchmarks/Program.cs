using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using FieldTheory.Theory.Benchmarks;

// Default: both cases of the issue in child processes (time, peak RSS) and the NumPy baseline, side by side.
//   [repeats] [deepSteps]       the side-by-side run (defaults 5 and 100)
//   two-layer|two-layer-full|two-layer-ilgpu|deep R [T] [threads]   one case in this process (what the side-by-side run starts; -full: prunedMass 0)
//   bdn [BenchmarkDotNet args]  the BenchmarkDotNet job of the two-layer solver (allocations, statistics)
//   kernels [BenchmarkDotNet args]  the propagator's dense kernels against plain loops (BenchmarkDotNet)
//   propagator [rounds] [T] [sites]       the finite-width propagator, P = 1, interleaved with NumPy (defaults 3, 320, 25600)
//   propagator-large [T] [sites] [dense|adjoint]   the propagator, P = 10 gaussian data, alone (defaults 200, 65536, dense)
//   deep-backends [rounds] [T]  the deep solver's host and ILGPU backends interleaved (defaults 3, 30)
//   two-layer-phases [repeats] [model] [threads|auto] [sites]  the two-layer case's rule, folding and integration timed apart (defaults 40, TwoLayerTanh, auto, 25600)
//   gpu [repeats] [deepSteps] [cuda|cpu]   both cases on CUDA (or the ILGPU CPU accelerator) against the CPU paths and NumPy; exit 1 if the devices disagree (defaults 5, 100)
//   propagator-solve R T S [prunedMass] | propagator-large-solve T S M   one propagator case in this process
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index]) : fallback;
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkRunner.Run<TwoLayerBenchmark>(DefaultConfig.Instance.AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(5)), args[1..]);
}
else if (args.Length > 0 && args[0] == "kernels")
{
    BenchmarkRunner.Run<PropagatorKernelBenchmarks>(DefaultConfig.Instance.AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(5)), args[1..]);
}
else if (args.Length > 0 && args[0] is "two-layer" or "two-layer-full" or "two-layer-ilgpu" or "deep")
{
    SideBySide.RunCase(args[0], int.Parse(args[1]), args.Length > 2 ? int.Parse(args[2]) : 100, args.Length > 3 ? int.Parse(args[3]) : null);
}
else if (args.Length > 0 && args[0] == "deep-backends")
{
    DeepBackendBenchmark.Run(Arg(1, 3), Arg(2, 30));
}
else if (args.Length > 0 && args[0] == "two-layer-phases")
{
    TwoLayerPhases.Run(Arg(1, 40), args.Length > 2 ? args[2] : "TwoLayerTanh", args.Length > 3 && args[3] != "auto" ? int.Parse(args[3]) : null, Arg(4, 25600));
}
else if (args.Length > 0 && args[0] == "gpu")
{
    Environment.Exit(GpuBenchmark.Run(Arg(1, 5), Arg(2, 100), args.Length > 3 ? args[3] : "cuda"));
}
else if (args.Length > 0 && args[0] == "propagator")
{
    PropagatorBenchmark.AgainstNumPy(Arg(1, 3), Arg(2, 320), Arg(3, 25600));
}
else if (args.Length > 0 && args[0] == "propagator-large")
{
    PropagatorBenchmark.LargeAlone(Arg(1, 200), Arg(2, 65536), args.Length > 3 ? args[3] : "dense");
}
else if (args.Length > 0 && args[0] == "propagator-solve")
{
    PropagatorBenchmark.SolveSmall(Arg(1, 3), Arg(2, 320), Arg(3, 25600), args.Length > 4 ? double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 1e-18);
}
else if (args.Length > 0 && args[0] == "propagator-large-solve")
{
    PropagatorBenchmark.SolveLarge(Arg(1, 200), Arg(2, 65536), args.Length > 3 ? args[3] : "dense");
}
else
{
    SideBySide.RunAll(args.Length > 0 ? int.Parse(args[0]) : 5, args.Length > 1 ? int.Parse(args[1]) : 100);
}
