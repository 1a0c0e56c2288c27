using FieldTheory.Compute;
using FieldTheory.Experiments;
using FieldTheory.Results;

namespace FieldTheory.Theory.Deep;

/// <summary>
/// Infinite-width dynamics of deep nonlinear networks (L hidden layers): the self-consistent single-site process of
/// DESIGN.md 3.2 in discrete time with the network's eta, solved by the one-pass causal march (or, as a cross-check,
/// damped iteration over whole trajectories), with responses A, B from pathwise forward-mode tangents and predictions
/// from the exact correlator f = &lt;z^L phi(h^L)&gt; / gamma0.
/// </summary>
/// <remarks>
/// <para>Sizes: S = Points (T + 1) (Points = train plus test points), P training points, M field and M_t tangent
/// samples per layer. Peak memory (<see cref="PeakMemoryBytes"/>): 8 [L M (4 S + 4 Points)
/// + M_t (L (4 S + 4 Points) + 2 (L - 1) P (T + 1) Points (T + 3)) + (4 L + 2) S^2 (twice for the iterated scheme)
/// + 2 L S^2] bytes, the samples on the device with the ILGPU backend, which adds the chunk sums and step rows of
/// <see cref="KernelEngineMemory"/>. Time: O(L M Points^2 T^2) for the field samples and
/// O(L M_t P^2 Points T^3) for the tangents, which dominate; the iterated scheme costs that per sweep, and every error
/// replica costs one more run.</para>
/// <para>The per-sample work (field and tangent updates, sums over samples) runs on the host with Parallel.For or in
/// ILGPU kernels (<see cref="DeepBackend"/>; docs/deep-theory-ilgpu.md), both over fixed chunks of samples with
/// chunk-ordered sums, so results do not depend on the thread count; random numbers are counter-based (seed, sample,
/// layer, purpose, index). The two backends agree to rounding (the order of the dot products inside one sample's update).
/// The bordered Cholesky rows and the kernel rows stay on the host.</para>
/// </remarks>
internal static class DeepSolver
{
    /// <summary>Peak memory in bytes for the given sizes (see the remarks of <see cref="DeepSolver"/>).</summary>
    public static long PeakMemoryBytes(
        int hiddenLayers, int points, int trainCount, int steps, int samples, int tangentSamples, DeepScheme scheme, bool kernels = false)
    {
        var problem = new DeepProblem(hiddenLayers, new double[points * points], trainCount, new double[trainCount], 1, 1, steps, false);
        return PeakBytes(problem, samples, tangentSamples, scheme, kernels);
    }

    /// <summary>
    /// Solves DESIGN.md 3.2 for <paramref name="model"/> trained on P points by full-batch gradient descent.
    /// </summary>
    /// <param name="model">Any compiled model; its generated activation supplies phi, phi', phi''.</param>
    /// <param name="inputGram">K^x over train then test points, row-major.</param>
    /// <param name="trainCount">P: the first P points are trained on; the rest are test points.</param>
    /// <param name="y">Targets of the training points.</param>
    /// <param name="gamma0">Feature-learning strength.</param>
    /// <param name="eta">Learning rate.</param>
    /// <param name="steps">T.</param>
    /// <param name="centered">Subtract the estimated f(0) (at infinite width f(0) = 0, so this only removes sampling noise).</param>
    /// <param name="samplesPerLayer">M, field samples per layer.</param>
    /// <param name="seed">Main seed; replicas derive theirs from it.</param>
    /// <param name="options">Tangent samples, scheme, error replicas, limits.</param>
    /// <param name="progress">Fraction of the total work done.</param>
    /// <param name="ct">Cancellation, checked every step.</param>
    /// <param name="device">Where ILGPU kernels run when <see cref="DeepSolverOptions.Backend"/> picks them (not disposed here);
    /// null: the host's Parallel.For (required for <see cref="DeepBackend.Kernel"/>).</param>
    /// <exception cref="ExperimentException">The problem needs more memory than the limit.</exception>
    /// <exception cref="DeepSolverConvergenceException">The iterated scheme did not converge.</exception>
    public static DeepResult Solve(
        NetworkModel model,
        double[] inputGram,
        int trainCount,
        double[] y,
        double gamma0,
        double eta,
        int steps,
        bool centered,
        int samplesPerLayer,
        ulong seed,
        DeepSolverOptions? options = null,
        IProgress<double>? progress = null,
        CancellationToken ct = default,
        ComputeDevice? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new DeepSolverOptions();
        if (options.Backend == DeepBackend.Kernel && device is null)
        {
            throw new ArgumentException("the ILGPU backend of the deep solver needs a ComputeDevice", nameof(device));
        }

        ComputeDevice? kernelDevice = options.Backend == DeepBackend.Kernel || (options.Backend == DeepBackend.Auto && device is { IsGpu: true }) ? device : null;
        var problem = new DeepProblem(model.HiddenLayers, inputGram, trainCount, y, gamma0, eta, steps, centered);
        if (samplesPerLayer < 2)
        {
            throw new ExperimentException("theory.sites", $"the deep solver needs at least 2 samples per layer, got {samplesPerLayer}");
        }

        if (options.ErrorReplicas == 1 || options.ErrorReplicas < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ErrorReplicas, "ErrorReplicas must be 0 or at least 2");
        }

        int tangentSamples = options.TangentSamples ?? Math.Max(64, samplesPerLayer / 4);
        long bytes = PeakBytes(problem, samplesPerLayer, tangentSamples, options.Scheme, kernelDevice is not null);
        if (bytes > options.MemoryLimitBytes || (long)problem.Size * problem.Size > Array.MaxLength)
        {
            throw new ExperimentException(
                "theory.sites",
                $"the deep solver needs {bytes / (1 << 20)} MiB for {samplesPerLayer} field and {tangentSamples} tangent samples per layer, " +
                $"{problem.Points} points and {steps + 1} steps (the tangents alone grow like samples x P^2 T^2), above the limit of " +
                $"{options.MemoryLimitBytes / (1 << 20)} MiB; use fewer tangent samples, steps or points");
        }

        long deviceBytes = kernelDevice is null ? 0 : KernelEngineMemory.DeviceBytes(problem, samplesPerLayer, tangentSamples);
        if (kernelDevice is { IsGpu: true } && deviceBytes > kernelDevice.Accelerator.MemorySize)
        {
            throw new ExperimentException(
                "theory.sites",
                $"the deep solver's samples need {deviceBytes / (1 << 20)} MiB on {kernelDevice.Accelerator.Name}, which has " +
                $"{kernelDevice.Accelerator.MemorySize / (1 << 20)} MiB; use fewer tangent samples, steps or points");
        }

        return model.Accept(new Visitor(problem, samplesPerLayer, tangentSamples, seed, options, kernelDevice, progress, ct));
    }

    private static long PeakBytes(DeepProblem problem, int samples, int tangentSamples, DeepScheme scheme, bool kernels)
    {
        long square = (long)problem.Size * problem.Size;
        long parameters = OrderParameters.MatrixCount(problem.HiddenLayers) * square * 8 * (scheme == DeepScheme.Iterated ? 2 : 1);
        long factors = 2L * problem.HiddenLayers * square * 8;
        long kernelBuffers = kernels ? KernelEngineMemory.ExtraBytes(problem, samples, tangentSamples) : 0;
        return samples * SiteSamples.BytesPerSample(problem, false) + tangentSamples * SiteSamples.BytesPerSample(problem, true) + parameters + factors
            + kernelBuffers;
    }

    private sealed class Visitor(
        DeepProblem problem,
        int samples,
        int tangentSamples,
        ulong seed,
        DeepSolverOptions options,
        ComputeDevice? device,
        IProgress<double>? progress,
        CancellationToken ct) : INetworkModelVisitor<DeepResult>
    {
        public DeepResult Visit<TActivation>(NetworkModel<TActivation> model)
            where TActivation : struct, IActivation
        {
            int runs = 1 + 2 * options.ErrorReplicas;
            int done = 0;
            IProgress<double>? Part() => progress is null ? null : new Progress(p => progress.Report((done + p) / runs));
            var runner = new DeepRuns<TActivation>(problem, samples, tangentSamples, options, ct, device);
            ulong tangentSeed = Mix(seed, 0);

            (OrderParameters solution, IReadOnlyList<double>? residuals) = options.Scheme == DeepScheme.OnePass
                ? (runner.OnePass(seed, tangentSeed, Part()), null)
                : runner.Iterate(seed, tangentSeed, Part());
            done++;
            DeepTrajectory trajectory = runner.Trajectory(solution);

            Series? fieldError = null;
            Series? tangentError = null;
            if (options.ErrorReplicas >= 2)
            {
                var fieldReplicas = new List<Series>();
                var tangentReplicas = new List<Series>();
                for (int r = 1; r <= options.ErrorReplicas; r++)
                {
                    fieldReplicas.Add(runner.Trajectory(runner.OnePass(Mix(seed, 2 * r - 1), tangentSeed, Part())).MeanSeries());
                    done++;
                    tangentReplicas.Add(runner.Trajectory(runner.OnePass(seed, Mix(seed, 2 * r), Part())).MeanSeries());
                    done++;
                }

                fieldError = SeriesStatistics.StandardDeviation(fieldReplicas);
                tangentError = SeriesStatistics.StandardDeviation(tangentReplicas);
            }

            return new DeepResult(trajectory, samples, tangentSamples, seed, options.Scheme, residuals, fieldError, tangentError, runner.Description);
        }
    }

    // SplitMix64 of (seed, k): independent seeds for the tangent set and the replicas.
    private static ulong Mix(ulong seed, int k)
    {
        ulong z = seed + 0x9E3779B97F4A7C15UL * (ulong)(k + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
