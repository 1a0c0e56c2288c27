namespace FieldTheory.Theory.Deep;

/// <summary>How <see cref="DeepSolver"/> solves the self-consistent single-site process (DESIGN.md 3.2).</summary>
internal enum DeepScheme
{
    /// <summary>One causal pass through time (exact for the sampled equations; the default).</summary>
    OnePass,

    /// <summary>Damped alternating iteration over whole trajectories, starting from static kernels (a cross-check).</summary>
    Iterated,
}

/// <summary>Where <see cref="DeepSolver"/> runs its per-sample work (the field and tangent updates and their sums).</summary>
internal enum DeepBackend
{
    /// <summary>ILGPU kernels when the device is a GPU, the host's Parallel.For otherwise (also when no device is given).</summary>
    Auto,

    /// <summary>ILGPU kernels on the device's accelerator, also the CPU accelerator (cross-checks; slower there, docs/deep-theory-ilgpu.md).</summary>
    Kernel,

    /// <summary>Parallel.For over fixed chunks on the host, whatever the device.</summary>
    Cpu,
}

/// <summary>Settings of <see cref="DeepSolver"/> beyond the sample count and seed.</summary>
/// <param name="TangentSamples">Independent sample paths carrying forward-mode tangents (they estimate A and B); null: a quarter of the field samples, at least 64.</param>
/// <param name="Scheme">One-pass (default) or iterated.</param>
/// <param name="Damping">Iterated scheme: fraction of the new sweep's estimate mixed in.</param>
/// <param name="MaxSweeps">Iterated scheme: sweeps before non-convergence is reported.</param>
/// <param name="Tolerance">Iterated scheme: converged when the largest change of any order parameter in a sweep is below this.</param>
/// <param name="ErrorReplicas">Replicas for the statistical errors: R extra runs with new field seeds and R with new tangent seeds (0: no error estimate).</param>
/// <param name="Jitter">Relative diagonal jitter of the bordered Cholesky factors of the temporal kernels.</param>
/// <param name="DropResponses">Set A = B = 0 (the "gradient independence" shortcut): wrong, for comparisons only (DESIGN.md 3.2).</param>
/// <param name="MemoryLimitBytes">Refuse problems whose peak memory (see <see cref="DeepSolver.PeakMemoryBytes"/>) exceeds this.</param>
/// <param name="Backend">Host Parallel.For or ILGPU kernels for the per-sample work (<see cref="DeepBackend"/>).</param>
internal sealed record DeepSolverOptions(
    int? TangentSamples = null,
    DeepScheme Scheme = DeepScheme.OnePass,
    double Damping = 0.7,
    int MaxSweeps = 200,
    double Tolerance = 1e-9,
    int ErrorReplicas = 3,
    double Jitter = 1e-10,
    bool DropResponses = false,
    long MemoryLimitBytes = 4L << 30,
    DeepBackend Backend = DeepBackend.Auto);
