namespace FieldTheory.Results;

/// <summary>
/// The result of one experiment, written as JSON by <see cref="ResultJson"/>. Names are a contract shared by all
/// solvers: ensembles and theory report the same <see cref="Series"/> so they can be compared entry by entry.
/// </summary>
/// <param name="Model">Catalogue name of the model.</param>
/// <param name="HiddenLayers">L.</param>
/// <param name="Data">What data (one line).</param>
/// <param name="Gamma0">Feature-learning strength.</param>
/// <param name="Eta">Learning rate.</param>
/// <param name="Steps">T.</param>
/// <param name="Time">t = n eta for n = 0..T.</param>
/// <param name="Convention">The conventions that produced the numbers.</param>
/// <param name="Ensemble">Finite-width ensemble statistics, when run.</param>
/// <param name="Theory">Infinite-width theory, when run.</param>
/// <param name="Comparison">Ensemble against theory, when both ran.</param>
/// <param name="Tool">Program, version (with the git commit) and compute device.</param>
/// <param name="Experiment">The experiment exactly as it ran, defaults filled in.</param>
public sealed record ExperimentResult(
    string Model,
    int HiddenLayers,
    string Data,
    double Gamma0,
    double Eta,
    int Steps,
    double[] Time,
    Convention Convention,
    EnsembleResult? Ensemble,
    TheoryResult? Theory,
    Comparison? Comparison,
    string Tool,
    Experiments.Experiment? Experiment = null);

/// <summary>The conventions of DESIGN.md section 2 as they applied to this result.</summary>
public sealed record Convention(bool Centered, string Loss, string Time, string Parameterisation, string Reference)
{
    /// <summary>The project's conventions, centered or not.</summary>
    public static Convention Standard(bool centered) => new(
        centered,
        "L = 1/2 sum_mu (y_mu - f_mu)^2, summed over the P training points (no 1/P)" + (centered ? "; f is centered: f - f(theta_0)" : string.Empty),
        "t = n * eta after n full-batch gradient steps",
        "mean-field/muP: h^1 = W^0 x / sqrt(D), h^(l+1) = W^l phi(h^l) / sqrt(N), f = w^L . phi(h^L) / (gamma0 N); theta -= eta gamma0^2 N grad L",
        "DESIGN.md section 2");

    /// <summary>Online SGD (DESIGN.md 3.5): a fresh batch of <paramref name="batch"/> samples per step, batch-mean loss.</summary>
    public static Convention OnlineSgd(bool centered, int batch) => Standard(centered) with
    {
        Loss = $"L = (1/B) 1/2 sum_mu (y_mu - f_mu)^2 over a fresh batch of B = {batch} samples per step (online SGD); testLoss = 1/(2 P_test) sum_j (y_j - f_j)^2 on the fixed test set"
            + (centered ? "; f is centered: f - f(theta_0)" : string.Empty),
        Time = "t = n * eta after n online SGD steps",
    };
}

/// <summary>Statistics over an ensemble of E independently initialised width-N networks (DESIGN.md section 5).</summary>
/// <param name="Width">N.</param>
/// <param name="Members">E.</param>
/// <param name="Seed">Seed of the counter-based generator.</param>
/// <param name="Device">Where it ran (one Describe() line).</param>
/// <param name="Mean">Mean over members.</param>
/// <param name="MeanStdErr">Standard error of the mean.</param>
/// <param name="Nvar">N times the across-member variance.</param>
/// <param name="NvarStdErr">Standard error of <paramref name="Nvar"/>.</param>
/// <param name="DivergedAtStep">First step at which a member's loss was not finite, or null.</param>
public sealed record EnsembleResult(
    int Width,
    int Members,
    ulong Seed,
    string Device,
    Series Mean,
    Series MeanStdErr,
    Series Nvar,
    Series NvarStdErr,
    int? DivergedAtStep = null);

/// <summary>Infinite-width theory (the DMFT saddle point, DESIGN.md section 3), optionally with finite-width corrections.</summary>
/// <param name="Method">Which solver and integration method.</param>
/// <param name="Sites">Number of sites or samples.</param>
/// <param name="Mean">The infinite-width values.</param>
/// <param name="IntegrationError">Estimated integration error of <paramref name="Mean"/>, or null when exact.</param>
/// <param name="Nvar">N Var from the propagator (DESIGN.md section 4), or null.</param>
/// <param name="Nbias">N times the O(1/N) mean shift, or null.</param>
/// <param name="Kernels">Two-time kernels Phi^l(t,s), G^l(t,s), or null.</param>
/// <param name="NvarIntegrationError">Estimated integration error of <paramref name="Nvar"/> (same rule as
/// <paramref name="IntegrationError"/>), or null when exact or not estimated.</param>
/// <param name="Unavailable">What the experiment asked of the theory that it does not compute for this model and data,
/// one line each naming the series (<c>nvar</c>, <c>nvar.testF</c>, <c>nbias</c>) and why; those quantities come from
/// the ensembles only. Null when the theory covers everything asked for.</param>
public sealed record TheoryResult(
    string Method,
    int Sites,
    Series Mean,
    Series? IntegrationError = null,
    Series? Nvar = null,
    Series? Nbias = null,
    TwoTimeKernels? Kernels = null,
    Series? NvarIntegrationError = null,
    IReadOnlyList<string>? Unavailable = null);

/// <summary>Two-time kernels Phi^l_{mu nu}(n, m) and G^l_{mu nu}(n, m), [l-1][n][m][mu][nu].</summary>
public sealed record TwoTimeKernels(double[][][][][] Phi, double[][][][][] G);

/// <summary>
/// Ensemble minus theory in units of the ensemble's standard error and the theory's integration error added in
/// quadrature (the ensemble's alone where the theory is exact), for the mean (and N Var when both exist).
/// </summary>
public sealed record Comparison(Series MeanDifferenceInStdErr, Series? NvarDifferenceInStdErr = null);
