namespace FieldTheory.Theory.Deep;

/// <summary>The iterated scheme did not reach its tolerance; carries the residual of every sweep.</summary>
internal sealed class DeepSolverConvergenceException(IReadOnlyList<double> residuals, double tolerance)
    : Exception($"the iterated deep solver did not converge: residual {residuals[^1]:G3} after {residuals.Count} sweeps (tolerance {tolerance:G3}); " +
                $"residuals per sweep: {string.Join(", ", residuals.Select(r => r.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)))}")
{
    /// <summary>Largest change of any order parameter in each sweep.</summary>
    public IReadOnlyList<double> Residuals { get; } = residuals;
}
