using FieldTheory.Theory.Deep;

namespace FieldTheory.Fluctuations.DeepNonlinear;

/// <summary>
/// The infinite-width saddle of a network with L hidden layers and one training point (DESIGN.md 3.2) as the propagator
/// reads it: the kernels that feed the sources (Phi^l for u^{l+1}, G^{l+1} for r^l), the responses A^l (in the h^{l+1}
/// equation) and B^l (in the z^l equation, equal-time entry included), both with the 1/c normalisation of DESIGN.md
/// 3.2, and Delta. Matrices are S x S row-major over steps, S = T + 1; arrays are indexed by layer like
/// <see cref="OrderParameters"/> (Phi and A at 1..L-1, G at 2..L, B at 1..L-1; other entries unused).
/// </summary>
/// <param name="Layers">L &gt;= 2.</param>
/// <param name="Steps">T.</param>
/// <param name="Gamma0">Feature-learning strength.</param>
/// <param name="Eta">Learning rate.</param>
/// <param name="InputGram">K^x of the training point (Phi^0, constant in time).</param>
/// <param name="Centered">Fluctuations of f - f(0).</param>
/// <param name="Delta">Delta(n).</param>
/// <param name="Phi">Phi^l(n, m).</param>
/// <param name="G">G^l(n, m).</param>
/// <param name="A">A^l(n, m) = c^-1 &lt;d phi(h^l(n)) / d r^l(m)&gt;.</param>
/// <param name="B">B^l(n, m) = c^-1 &lt;d g^{l+1}(n) / d u^{l+1}(m)&gt;.</param>
internal sealed record NonlinearSaddle(
    int Layers,
    int Steps,
    double Gamma0,
    double Eta,
    double InputGram,
    bool Centered,
    double[] Delta,
    double[][] Phi,
    double[][] G,
    double[][] A,
    double[][] B)
{
    /// <summary>S = T + 1.</summary>
    public int Size => Steps + 1;

    /// <summary>c = eta gamma0.</summary>
    public double C => Eta * Gamma0;

    /// <summary>Reads the one-pass solution of <see cref="DeepRuns{TActivation}"/> (one training point, no test points).</summary>
    public static NonlinearSaddle From(OrderParameters solution, DeepProblem problem) => new(
        problem.HiddenLayers, problem.Steps, problem.Gamma0, problem.Eta, problem.InputGram[0], problem.Centered,
        (double[])solution.Delta.Clone(), solution.Phi, solution.G, solution.A, solution.B);

    /// <summary>
    /// Layer l's site equation: h^l carries A^{l-1} and Phi^{l-1} (K^x for l = 1), z^l carries B^l and G^{l+1} (1 for
    /// l = L); differentiated in the u (h) sources for l &gt; 1 and in the r (z) sources for l &lt; L, both in a middle layer.
    /// </summary>
    public LayerEquation Layer(int layer)
    {
        int s = Size;
        var zero = new double[s * s];
        double[] kernelBelow = layer > 1 ? Phi[layer - 1] : Constant(s, InputGram);
        double[] kernelAbove = layer < Layers ? G[layer + 1] : Constant(s, 1.0);
        return LayerEquation.Create(s, C, Delta, layer > 1 ? A[layer - 1] : zero, kernelBelow, layer < Layers ? B[layer] : zero, kernelAbove,
            new SourceDirections(Feature: layer > 1, Backward: layer < Layers));
    }

    /// <summary>u^l: constant from K^x in layer 1, else GP(0, Phi^{l-1}).</summary>
    public GaussianSource FeatureSource(int layer, double jitter) =>
        layer == 1 ? GaussianSource.Constant(Size, InputGram) : GaussianSource.Process(Size, Phi[layer - 1], jitter);

    /// <summary>r^l: w constant (G^{L+1} = 1) in layer L, else GP(0, G^{l+1}).</summary>
    public GaussianSource BackwardSource(int layer, double jitter) =>
        layer == Layers ? GaussianSource.Constant(Size, 1.0) : GaussianSource.Process(Size, G[layer + 1], jitter);

    private static double[] Constant(int s, double value)
    {
        var matrix = new double[s * s];
        Array.Fill(matrix, value);
        return matrix;
    }
}
