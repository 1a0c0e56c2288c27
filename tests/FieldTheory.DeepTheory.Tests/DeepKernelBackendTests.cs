using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Results;
using FieldTheory.Theory;
using FieldTheory.Theory.Deep;

namespace FieldTheory.DeepTheory.Tests;

/// <summary>
/// The ILGPU backend of the deep single-site solver (DESIGN.md 3.2; docs/deep-theory-ilgpu.md) on ILGPU's CPU
/// accelerator against the host Parallel.For backend: same seeds, so the same samples; the two differ only in the order
/// of the dot products inside one sample's update, so every order parameter must agree to rounding. The bound 1e-12
/// is relative to the largest entry of each quantity's block at each step.
/// </summary>
public sealed class DeepKernelBackendTests(CpuAcceleratorFixture accelerator) : IClassFixture<CpuAcceleratorFixture>
{
    private const double Rounding = 1e-12;
    private const int Steps = 6;
    private const int FieldSamples = 300;
    private const int TangentSamples = 150;

    [Theory]
    [InlineData("DeepTanh", 2)]
    [InlineData("DeepTanh", 3)]
    [InlineData("Gelu", 3)]
    [InlineData("Softplus", 2)]
    public void KernelBackendEqualsTheHostBackendAtEveryStep(string activation, int layers)
    {
        NetworkModel model = BuiltInModels.Catalogue.Get(activation);
        DeepProblem problem = Problem(layers);
        Solution host = Solve(model, problem, device: null, threads: null);
        Solution kernel = Solve(model, problem, accelerator.Device, threads: null);

        int points = problem.Points;
        for (int n = 0; n <= Steps; n++)
        {
            AssertClose(host.Parameters.Delta.AsSpan(n * points, problem.TrainCount), kernel.Parameters.Delta.AsSpan(n * points, problem.TrainCount), $"Delta({n})");
            AssertClose(host.Parameters.F[n], kernel.Parameters.F[n], $"f({n})");
            AssertClose(Flatten(host.Series.Ntk[n]), Flatten(kernel.Series.Ntk[n]), $"K({n})");
            for (int l = 1; l <= layers; l++)
            {
                AssertClose(Block(host.Parameters.Phi[l], problem, n), Block(kernel.Parameters.Phi[l], problem, n), $"Phi^{l}({n})");
                AssertClose(Block(host.Parameters.G[l], problem, n), Block(kernel.Parameters.G[l], problem, n), $"G^{l}({n})");
                AssertClose(Block(host.Parameters.B[l], problem, n), Block(kernel.Parameters.B[l], problem, n), $"B^{l}({n})");
                if (l < layers)
                {
                    AssertClose(Block(host.Parameters.A[l], problem, n), Block(kernel.Parameters.A[l], problem, n), $"A^{l}({n})");
                }
            }
        }

        // The responses are not trivially zero: the comparison above covers real tangent sums.
        Assert.True(MaxAbs(Block(kernel.Parameters.A[1], problem, Steps)) > 1e-3);
        Assert.True(MaxAbs(Block(kernel.Parameters.B[1], problem, Steps)) > 1e-3);
    }

    [Fact]
    public void KernelBackendDoesNotDependOnTheThreadCount()
    {
        NetworkModel model = BuiltInModels.Catalogue.Get("DeepTanh");
        DeepProblem problem = Problem(3);
        Solution one = Solve(model, problem, accelerator.Device, threads: 1);
        Solution many = Solve(model, problem, accelerator.Device, threads: 13);

        Assert.Equal(one.Parameters.Delta, many.Parameters.Delta);
        for (int l = 1; l <= 3; l++)
        {
            Assert.Equal(one.Parameters.Phi[l], many.Parameters.Phi[l]);
            Assert.Equal(one.Parameters.G[l], many.Parameters.G[l]);
            Assert.Equal(one.Parameters.B[l], many.Parameters.B[l]);
        }

        Assert.Equal(one.Parameters.A[1], many.Parameters.A[1]);
        Assert.Equal(one.Parameters.A[2], many.Parameters.A[2]);
    }

    [Fact]
    public void SolverSelectsTheBackendAsTheTwoLayerSolverDoes()
    {
        NetworkModel tanh = BuiltInModels.Catalogue.Get("DeepTanh");
        var options = new DeepSolverOptions(TangentSamples: 64, ErrorReplicas: 0);
        DeepResult auto = DeepSolver.Solve(tanh, [1.0], 1, [1.0], 1.0, 0.1, 2, true, 200, 1, options, device: accelerator.Device);
        DeepResult kernel = DeepSolver.Solve(tanh, [1.0], 1, [1.0], 1.0, 0.1, 2, true, 200, 1, options with { Backend = DeepBackend.Kernel },
            device: accelerator.Device);

        Assert.StartsWith("CPU: Parallel.For", auto.Compute);
        Assert.StartsWith("ILGPU kernels on the CPU accelerator", kernel.Compute);
        Assert.Equal(auto.Trajectory.Delta[2][0], kernel.Trajectory.Delta[2][0], 1e-12);
        Assert.Throws<ArgumentException>(() => DeepSolver.Solve(tanh, [1.0], 1, [1.0], 1.0, 0.1, 2, true, 200, 1, options with { Backend = DeepBackend.Kernel }));
    }

    [Fact]
    public void TheoryRunnerPassesItsDeviceToTheDeepSolver()
    {
        // The CPU device keeps the host backend (it is faster there); a GPU device would select the kernels.
        Experiment experiment = ExperimentParser.Parse("""
            { "model": "DeepTanh", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 2, "theory": { "sites": 128 } }
            """);
        TheoryResult result = TheoryRunner.Run(experiment, BuiltInModels.Catalogue.Get("DeepTanh"), DataFactory.Build(experiment.Data), accelerator.Device, null,
            CancellationToken.None);

        Assert.StartsWith("deep single-site process", result.Method);
        Assert.Contains("CPU: Parallel.For", result.Method);
    }

    [Fact]
    public void KernelBackendHonoursCancellation()
    {
        NetworkModel tanh = BuiltInModels.Catalogue.Get("DeepTanh");
        var options = new DeepSolverOptions(TangentSamples: 64, ErrorReplicas: 0, Backend: DeepBackend.Kernel);
        using var cancel = new CancellationTokenSource();
        var reports = new List<double>();
        var progress = new SynchronousProgress(value =>
        {
            reports.Add(value);
            cancel.Cancel();
        });

        Assert.ThrowsAny<OperationCanceledException>(() => DeepSolver.Solve(tanh, [1.0], 1, [1.0], 1.0, 0.1, 20, true, 200, 1, options, progress, cancel.Token,
            accelerator.Device));
        Assert.Single(reports);
    }

    [Fact]
    public void IteratedSchemeRunsOnTheKernelBackend()
    {
        NetworkModel tanh = BuiltInModels.Catalogue.Get("DeepTanh");
        var options = new DeepSolverOptions(TangentSamples: 64, ErrorReplicas: 0, Scheme: DeepScheme.Iterated);
        DeepResult host = DeepSolver.Solve(tanh, [1.0, 0.3, 0.3, 1.0], 1, [1.0], 1.0, 0.1, 4, true, 200, 4, options);
        DeepResult kernel = DeepSolver.Solve(tanh, [1.0, 0.3, 0.3, 1.0], 1, [1.0], 1.0, 0.1, 4, true, 200, 4, options with { Backend = DeepBackend.Kernel },
            device: accelerator.Device);

        Assert.Equal(host.SweepResiduals!.Count, kernel.SweepResiduals!.Count);
        for (int n = 0; n <= 4; n++)
        {
            Assert.Equal(host.Trajectory.Delta[n][0], kernel.Trajectory.Delta[n][0], 1e-9);
            Assert.Equal(host.Trajectory.TestF![n][0], kernel.Trajectory.TestF![n][0], 1e-9);
        }
    }

    [Fact]
    public void KernelBackendMemoryAddsTheChunkSumsAndStepRows()
    {
        // L = 3, 4 points (all trained), T = 30: S = 124; 4096 field samples = 32 chunks, 256 tangent samples = 2 chunks.
        // Chunk sums max(32 * 4 * 124, 2 * 4 * 4 * 31) = 15872 doubles, twice (device and host), plus 2 * 4 * 124 + 4^2 row entries.
        long host = DeepSolver.PeakMemoryBytes(3, 4, 4, 30, 4096, 256, DeepScheme.OnePass);
        long kernels = DeepSolver.PeakMemoryBytes(3, 4, 4, 30, 4096, 256, DeepScheme.OnePass, kernels: true);
        Assert.Equal(8L * ((2 * 15872) + (2 * 4 * 124) + 16), kernels - host);
    }

    private static DeepProblem Problem(int layers) =>
        new(layers, TestData.RandomGram(3, 4, seed: 11), 2, [1.0, -0.5], gamma0: 1.0, eta: 0.2, Steps, centered: false);

    private static Solution Solve(NetworkModel model, DeepProblem problem, ComputeDevice? device, int? threads) =>
        model.Accept(new Visitor(problem, device, threads));

    // The rows of step n's block, columns up to its end.
    private static double[] Block(double[] matrix, DeepProblem problem, int n)
    {
        int size = problem.Size;
        int start = n * problem.Points;
        int end = start + problem.Points;
        var block = new double[problem.Points * end];
        for (int mu = 0; mu < problem.Points; mu++)
        {
            Array.Copy(matrix, (long)(start + mu) * size, block, mu * end, end);
        }

        return block;
    }

    private static double[] Flatten(double[][] rows) => [.. rows.SelectMany(r => r)];

    private static double MaxAbs(ReadOnlySpan<double> values)
    {
        double max = 0;
        foreach (double v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    private static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = MaxAbs(expected);
        double difference = 0;
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(double.IsFinite(actual[k]), $"{what}: entry {k} is {actual[k]}");
            difference = Math.Max(difference, Math.Abs(actual[k] - expected[k]));
        }

        Assert.True(difference <= Rounding * scale, $"{what}: largest difference {difference:E2} against a scale of {scale:E2}");
    }

    private sealed record Solution(OrderParameters Parameters, Series Series);

    private sealed class Visitor(DeepProblem problem, ComputeDevice? device, int? threads) : INetworkModelVisitor<Solution>
    {
        public Solution Visit<TActivation>(NetworkModel<TActivation> model)
            where TActivation : struct, IActivation
        {
            var runs = new DeepRuns<TActivation>(problem, FieldSamples, TangentSamples, new DeepSolverOptions(ErrorReplicas: 0), CancellationToken.None, device, threads);
            OrderParameters parameters = runs.OnePass(fieldSeed: 17, tangentSeed: 29, progress: null);
            return new Solution(parameters, runs.Trajectory(parameters).MeanSeries());
        }
    }

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}

/// <summary>One ILGPU CPU accelerator shared by the tests of a class (creating one costs about 0.3 s).</summary>
public sealed class CpuAcceleratorFixture : IDisposable
{
    /// <summary>The device.</summary>
    public ComputeDevice Device { get; } = ComputeDevice.Create("cpu");

    /// <inheritdoc />
    public void Dispose() => Device.Dispose();
}
