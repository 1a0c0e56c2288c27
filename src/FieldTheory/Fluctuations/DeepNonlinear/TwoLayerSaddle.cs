using FieldTheory.Theory.Deep;

namespace FieldTheory.Fluctuations.DeepNonlinear;

/// <summary>
/// The infinite-width saddle of a network with two hidden layers and one training point (DESIGN.md 3.2) as the
/// propagator reads it: the kernels that feed the sources (Phi^1 for u^2, G^2 for r^1), the responses A^1 (in the h^2
/// equation) and B^1 (in the z^1 equation, equal-time entry included), both with the 1/c normalisation of DESIGN.md
/// 3.2, and Delta. Matrices are S x S row-major over steps, S = T + 1.
/// </summary>
/// <param name="Steps">T.</param>
/// <param name="Gamma0">Feature-learning strength.</param>
/// <param name="Eta">Learning rate.</param>
/// <param name="InputGram">K^x of the training point (Phi^0, constant in time).</param>
/// <param name="Centered">Fluctuations of f - f(0).</param>
/// <param name="Delta">Delta(n).</param>
/// <param name="Phi1">Phi^1(n, m).</param>
/// <param name="G2">G^2(n, m).</param>
/// <param name="A1">A^1(n, m) = c^-1 &lt;d phi(h^1(n)) / d r^1(m)&gt;.</param>
/// <param name="B1">B^1(n, m) = c^-1 &lt;d g^2(n) / d u^2(m)&gt;.</param>
internal sealed record TwoLayerSaddle(
    int Steps,
    double Gamma0,
    double Eta,
    double InputGram,
    bool Centered,
    double[] Delta,
    double[] Phi1,
    double[] G2,
    double[] A1,
    double[] B1)
{
    /// <summary>S = T + 1.</summary>
    public int Size => Steps + 1;

    /// <summary>c = eta gamma0.</summary>
    public double C => Eta * Gamma0;

    /// <summary>Reads the one-pass solution of <see cref="DeepRuns{TActivation}"/> (L = 2, one training point, no test points).</summary>
    public static TwoLayerSaddle From(OrderParameters solution, DeepProblem problem) => new(
        problem.Steps, problem.Gamma0, problem.Eta, problem.InputGram[0], problem.Centered,
        (double[])solution.Delta.Clone(), solution.Phi[1], solution.G[2], solution.A[1], solution.B[1]);

    /// <summary>Layer 1: u^1 constant from K^x, r^1 ~ GP(0, G^2), z^1 carries B^1; differentiated in the r (z) sources.</summary>
    public LayerEquation FirstLayer()
    {
        int s = Size;
        var inputKernel = new double[s * s];
        Array.Fill(inputKernel, InputGram);
        return LayerEquation.Create(s, C, Delta, new double[s * s], inputKernel, B1, G2, SourceFamily.Backward);
    }

    /// <summary>Layer 2: u^2 ~ GP(0, Phi^1), h^2 carries A^1, r^2 = w constant (G^3 = 1); differentiated in the u (h) sources.</summary>
    public LayerEquation SecondLayer()
    {
        int s = Size;
        var readoutKernel = new double[s * s];
        Array.Fill(readoutKernel, 1.0);
        return LayerEquation.Create(s, C, Delta, A1, Phi1, new double[s * s], readoutKernel, SourceFamily.Feature);
    }
}
