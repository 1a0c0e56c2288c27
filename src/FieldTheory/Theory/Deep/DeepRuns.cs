using FieldTheory.Compute;

namespace FieldTheory.Theory.Deep;

/// <summary>
/// The one-pass and iterated solves of one problem with one activation (DESIGN.md 3.2). The per-sample work runs on
/// the host (<see cref="CpuSampleEngine{TActivation}"/>) when <paramref name="device"/> is null, else in ILGPU kernels
/// on it (<see cref="KernelSampleEngine{TActivation}"/>; <paramref name="threads"/> overrides the launched threads).
/// </summary>
internal sealed class DeepRuns<TActivation>(
    DeepProblem problem,
    int samples,
    int tangentSamples,
    DeepSolverOptions options,
    CancellationToken ct,
    ComputeDevice? device = null,
    int? threads = null)
    where TActivation : struct, IActivation
{
    private readonly SiteMarch _march = new(problem, options.Jitter, options.DropResponses);

    /// <summary>Where the per-sample work runs, in words.</summary>
    public string Description => device is null ? CpuSampleEngine<TActivation>.Description : KernelSampleEngine<TActivation>.Describe(device);

    public OrderParameters OnePass(ulong fieldSeed, ulong tangentSeed, IProgress<double>? progress)
    {
        var parameters = new OrderParameters(problem);
        using ISampleEngine engine = Engine(problem, fieldSeed, tangentSeed);
        _march.Sweep(parameters, parameters, engine, ct, progress);
        return parameters;
    }

    /// <summary>
    /// Damped alternating iteration over whole trajectories from static kernels (the step-0 kernels at every time pair,
    /// A = B = 0, Delta = its initial value), reusing the same samples every sweep, so the fixed point is exactly the
    /// one-pass solution of the same seeds.
    /// </summary>
    public (OrderParameters Solution, IReadOnlyList<double> Residuals) Iterate(ulong fieldSeed, ulong tangentSeed, IProgress<double>? progress)
    {
        OrderParameters guess = StaticGuess(fieldSeed, tangentSeed);
        using ISampleEngine engine = Engine(problem, fieldSeed, tangentSeed);
        var residuals = new List<double>();
        for (int sweep = 0; sweep < options.MaxSweeps; sweep++)
        {
            var next = new OrderParameters(problem);
            _march.Sweep(guess, next, engine, ct, null);
            double residual = guess.DampTowards(next, options.Damping);
            residuals.Add(residual);
            progress?.Report((sweep + 1.0) / options.MaxSweeps);
            if (residual < options.Tolerance)
            {
                return (guess, residuals);
            }

            if (!double.IsFinite(residual))
            {
                break;
            }
        }

        throw new DeepSolverConvergenceException(residuals, options.Tolerance);
    }

    public DeepTrajectory Trajectory(OrderParameters solution)
    {
        int layers = problem.HiddenLayers;
        var phi = new TwoTimeKernel[layers];
        var g = new TwoTimeKernel[layers];
        for (int l = 1; l <= layers; l++)
        {
            phi[l - 1] = new TwoTimeKernel(solution.Phi[l], problem.Points, problem.Steps);
            g[l - 1] = new TwoTimeKernel(solution.G[l], problem.Points, problem.Steps);
        }

        return DeepTrajectory.Assemble(problem, solution.F, phi, g, null);
    }

    private ISampleEngine Engine(DeepProblem solved, ulong fieldSeed, ulong tangentSeed) => device is null
        ? new CpuSampleEngine<TActivation>(solved, samples, tangentSamples, fieldSeed, tangentSeed)
        : new KernelSampleEngine<TActivation>(device, solved, samples, tangentSamples, fieldSeed, tangentSeed, threads);

    private OrderParameters StaticGuess(ulong fieldSeed, ulong tangentSeed)
    {
        var initial = new DeepProblem(problem.HiddenLayers, problem.InputGram, problem.TrainCount, problem.Y, problem.Gamma0, problem.Eta, 0, problem.Centered);
        var first = new OrderParameters(initial);
        using (ISampleEngine engine = Engine(initial, fieldSeed, tangentSeed))
        {
            new SiteMarch(initial, options.Jitter, options.DropResponses).Sweep(first, first, engine, ct, null);
        }

        var guess = new OrderParameters(problem);
        int points = problem.Points;
        int size = problem.Size;
        for (int l = 1; l <= problem.HiddenLayers; l++)
        {
            for (int i = 0; i < size; i++)
            {
                for (int j = 0; j < size; j++)
                {
                    guess.Phi[l][(long)i * size + j] = first.Phi[l][i % points * points + j % points];
                    guess.G[l][(long)i * size + j] = first.G[l][i % points * points + j % points];
                }
            }
        }

        for (int n = 0; n <= problem.Steps; n++)
        {
            first.F[0].CopyTo(guess.F[n], 0);
            for (int mu = 0; mu < problem.TrainCount; mu++)
            {
                guess.Delta[n * points + mu] = first.Delta[mu];
            }
        }

        return guess;
    }
}
