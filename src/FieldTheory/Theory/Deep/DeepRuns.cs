namespace FieldTheory.Theory.Deep;

/// <summary>The one-pass and iterated solves of one problem with one activation (DESIGN.md 3.2).</summary>
internal sealed class DeepRuns<TActivation>(DeepProblem problem, int samples, int tangentSamples, DeepSolverOptions options, CancellationToken ct)
    where TActivation : struct, IActivation
{
    private readonly SiteMarch<TActivation> _march = new(problem, options.Jitter, options.DropResponses);

    public OrderParameters OnePass(ulong fieldSeed, ulong tangentSeed, IProgress<double>? progress)
    {
        var parameters = new OrderParameters(problem);
        _march.Sweep(parameters, parameters, Field(fieldSeed), Tangent(tangentSeed), ct, progress);
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
        SiteSamples field = Field(fieldSeed);
        SiteSamples tangent = Tangent(tangentSeed);
        var residuals = new List<double>();
        for (int sweep = 0; sweep < options.MaxSweeps; sweep++)
        {
            var next = new OrderParameters(problem);
            _march.Sweep(guess, next, field, tangent, ct, null);
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

    private SiteSamples Field(ulong seed) => new(problem, samples, withTangents: false, seed);

    private SiteSamples Tangent(ulong seed) => new(problem, tangentSamples, withTangents: true, seed);

    private OrderParameters StaticGuess(ulong fieldSeed, ulong tangentSeed)
    {
        var initial = new DeepProblem(problem.HiddenLayers, problem.InputGram, problem.TrainCount, problem.Y, problem.Gamma0, problem.Eta, 0, problem.Centered);
        var first = new OrderParameters(initial);
        new SiteMarch<TActivation>(initial, options.Jitter, options.DropResponses).Sweep(
            first, first, new SiteSamples(initial, samples, false, fieldSeed), new SiteSamples(initial, tangentSamples, true, tangentSeed), ct, null);

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
