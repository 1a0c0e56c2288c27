using FieldTheory.Results;

namespace FieldTheory.Theory.Deep;

/// <summary>
/// The sampled infinite-width solution of a deep network (DESIGN.md 3.2) with its statistical errors, estimated
/// separately for the field samples (kernels, f) and the tangent samples (responses A, B) from independent replicas.
/// </summary>
/// <param name="Trajectory">The solution from the main seed.</param>
/// <param name="Samples">Field samples per layer.</param>
/// <param name="TangentSamples">Tangent samples per layer.</param>
/// <param name="Seed">Main seed.</param>
/// <param name="Scheme">How it was solved.</param>
/// <param name="SweepResiduals">Iterated scheme: largest order-parameter change per sweep; null for one pass.</param>
/// <param name="FieldError">Standard deviation of every series over replicas with new field seeds (the error of one run from field sampling), or null.</param>
/// <param name="TangentError">The same over replicas with new tangent seeds, or null.</param>
/// <param name="Compute">Where and how it ran.</param>
internal sealed record DeepResult(
    DeepTrajectory Trajectory,
    int Samples,
    int TangentSamples,
    ulong Seed,
    DeepScheme Scheme,
    IReadOnlyList<double>? SweepResiduals,
    Series? FieldError,
    Series? TangentError,
    string Compute)
{
    /// <summary>Field and tangent errors added in quadrature, or null without replicas.</summary>
    public Series? CombinedError => FieldError is null || TangentError is null ? null : SeriesStatistics.Quadrature(FieldError, TangentError);

    /// <summary>The result as the theory part of an experiment result; the integration error is <see cref="CombinedError"/>.</summary>
    public TheoryResult ToTheoryResult(bool twoTimeKernels) => Trajectory.ToTheoryResult(
        $"deep single-site process (DESIGN.md 3.2), {(Scheme == DeepScheme.OnePass ? "one-pass causal march" : "damped iteration")}, " +
        $"{Samples} field + {TangentSamples} tangent samples per layer, seed {Seed}, forward-mode pathwise tangents; {Compute}",
        Samples,
        twoTimeKernels,
        CombinedError);
}
