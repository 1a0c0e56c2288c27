using FieldTheory.Data;

namespace FieldTheory.Experiments;

/// <summary>
/// A parsed, validated experiment file (see README "Experiment files"): which model, which data, how it is trained
/// (DESIGN.md section 2 conventions), and which solvers run on it.
/// </summary>
/// <param name="Model">A catalogue name or a model file.</param>
/// <param name="Data">What data, as declared; <see cref="DataFactory"/> builds it.</param>
/// <param name="Gamma0">Feature-learning strength gamma0 &gt; 0.</param>
/// <param name="Eta">Learning rate eta &gt; 0; time t = n eta.</param>
/// <param name="Steps">Number of updates T; series hold n = 0..T.</param>
/// <param name="Centered">Train f - f(theta_0) instead of f.</param>
/// <param name="Online">Online SGD: a fresh batch of <paramref name="Batch"/> samples each step (gaussian data).</param>
/// <param name="Batch">Batch size for online SGD.</param>
/// <param name="Ensemble">Finite-width ensemble settings, or null to skip ensembles.</param>
/// <param name="Theory">Infinite-width theory settings, or null to skip theory.</param>
public sealed record Experiment(
    ModelReference Model,
    DataSpec Data,
    double Gamma0,
    double Eta,
    int Steps,
    bool Centered,
    bool Online,
    int Batch,
    EnsembleSpec? Ensemble,
    TheorySpec? Theory);

/// <summary>A model named in the catalogue (<c>"model"</c>) or declared in a C# file (<c>"modelFile"</c>).</summary>
public sealed record ModelReference(string? Name, string? File);

/// <summary>The <c>"ensemble"</c> section.</summary>
/// <param name="Width">N, the hidden-layer width.</param>
/// <param name="Members">E, the number of independently initialised networks.</param>
/// <param name="Seed">Key of the counter-based generator.</param>
/// <param name="Device">cpu, cuda or auto.</param>
public sealed record EnsembleSpec(int Width, int Members, ulong Seed, string Device);

/// <summary>How a theory solver integrates over sites.</summary>
public enum IntegrationMethod
{
    /// <summary>Chosen from P and the model.</summary>
    Auto,

    /// <summary>Gauss-Hermite product grids (randomly rotated).</summary>
    Quadrature,

    /// <summary>Scrambled quasi-Monte Carlo.</summary>
    Qmc,

    /// <summary>Monte Carlo with antithetic pairs.</summary>
    Mc,
}

/// <summary>How the two-layer propagator obtains N Var (DESIGN.md 4.2).</summary>
public enum FluctuationMethod
{
    /// <summary>Dense kappa, D and Sigma over all steps: every series, N Cov of Delta over all time pairs, the mean shift.</summary>
    Dense,

    /// <summary>
    /// Matrix-free: one backward adjoint sweep over the sites gives N Var of outputs, test outputs and the loss at chosen
    /// steps, without forming D or Sigma (for P T too large for the dense path).
    /// </summary>
    Adjoint,
}

/// <summary>The <c>"theory"</c> section.</summary>
/// <param name="Sites">Number of sites (samples or quadrature nodes) S.</param>
/// <param name="Integration">Integration method.</param>
/// <param name="Seed">Seed for sampled integration.</param>
/// <param name="Kernels">Also report Phi^l(t,s) and G^l(t,s).</param>
/// <param name="Fluctuations">Also compute N Var / N Cov (the propagator).</param>
/// <param name="Bias">Also compute the O(1/N) mean shift.</param>
/// <param name="KernelFluctuationsEvery">Two-layer fluctuations of the NTK and feature kernel are computed every this
/// many steps (and at the last); NaN in between. Their cost grows like P^2 against the outputs' P, so large problems
/// thin them out.</param>
/// <param name="FluctuationMethod">Dense propagator or the matrix-free adjoint path (two-layer networks).</param>
/// <param name="AdjointSteps">The steps at which the adjoint path reports N Var (NaN elsewhere); null: 0, T/10, ..., T.</param>
/// <param name="Device">Where the site kernels of the infinite-width solvers run: "cpu", "cuda" or "auto".</param>
/// <param name="PrunedMass">Quadrature only: the product grids leave out their lightest nodes up to this total weight
/// (0 keeps every node); an integrand bounded by B on them changes by at most this times B.</param>
public sealed record TheorySpec(int Sites, IntegrationMethod Integration, ulong Seed, bool Kernels, bool Fluctuations, bool Bias, int KernelFluctuationsEvery = 1,
    FluctuationMethod FluctuationMethod = FluctuationMethod.Dense, int[]? AdjointSteps = null, string Device = "cpu", double PrunedMass = 1e-18);
