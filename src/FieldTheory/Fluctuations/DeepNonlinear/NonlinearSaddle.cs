using FieldTheory.Theory.Deep;

namespace FieldTheory.Fluctuations.DeepNonlinear;

/// <summary>
/// The infinite-width saddle of a network with L hidden layers and P training points (DESIGN.md 3.2) as the propagator
/// reads it: the kernels that feed the sources (Phi^l for u^{l+1}, G^{l+1} for r^l), the responses A^l (in the h^{l+1}
/// equation) and B^l (in the z^l equation, equal-time block included), both with the 1/c normalisation of DESIGN.md
/// 3.2, and Delta. Matrices are S x S row-major over the time-major positions i = n P + mu, S = P (T + 1), as in
/// <see cref="OrderParameters"/>; arrays are indexed by layer like it (Phi and A at 1..L-1, G at 2..L, B at 1..L-1;
/// other entries unused).
/// </summary>
/// <param name="Layers">L &gt;= 2.</param>
/// <param name="Points">Points per step: the P training points, then <see cref="TestCount"/> test points.</param>
/// <param name="Steps">T.</param>
/// <param name="Gamma0">Feature-learning strength.</param>
/// <param name="Eta">Learning rate.</param>
/// <param name="InputGram">K^x over the points (training then test), row-major (Phi^0, constant in time).</param>
/// <param name="Centered">Fluctuations of f - f(0).</param>
/// <param name="Delta">Delta_mu(n) at position n P + mu (0 at test points: they never receive a training signal).</param>
/// <param name="Phi">Phi^l(i, j).</param>
/// <param name="G">G^l(i, j).</param>
/// <param name="A">A^l(i, j) = c^-1 &lt;d phi(h^l(i)) / d r^l(j)&gt;.</param>
/// <param name="B">B^l(i, j) = c^-1 &lt;d g^{l+1}(i) / d u^{l+1}(j)&gt;.</param>
internal sealed record NonlinearSaddle(
    int Layers,
    int Points,
    int Steps,
    double Gamma0,
    double Eta,
    double[] InputGram,
    bool Centered,
    double[] Delta,
    double[][] Phi,
    double[][] G,
    double[][] A,
    double[][] B)
{
    /// <summary>S = Points (T + 1).</summary>
    public int Size => Points * (Steps + 1);

    /// <summary>Test points, the last of the <see cref="Points"/> of each step; their fields are driven like the training points' but they have no Delta.</summary>
    public int TestCount { get; init; }

    /// <summary>P, the training points.</summary>
    public int TrainCount => Points - TestCount;

    /// <summary>c = eta gamma0.</summary>
    public double C => Eta * Gamma0;

    /// <summary>
    /// Reads the one-pass solution of <see cref="DeepRuns{TActivation}"/>, test points included: the march computes their
    /// fields at every layer, their responses to the training sources and no Delta for them.
    /// </summary>
    public static NonlinearSaddle From(OrderParameters solution, DeepProblem problem) =>
        new(problem.HiddenLayers, problem.Points, problem.Steps, problem.Gamma0, problem.Eta, problem.InputGram, problem.Centered,
            (double[])solution.Delta.Clone(), solution.Phi, solution.G, solution.A, solution.B)
        {
            TestCount = problem.TestCount,
        };

    /// <summary>
    /// Layer l's site equation: h^l carries A^{l-1} and Phi^{l-1} (K^x for l = 1), z^l carries B^l and G^{l+1} (1 for
    /// l = L); differentiated in the u (h) sources for l &gt; 1 and in the r (z) sources for l &lt; L, both in a middle layer.
    /// </summary>
    public LayerEquation Layer(int layer)
    {
        int s = Size;
        var zero = new double[s * s];
        double[] kernelBelow = layer > 1 ? Phi[layer - 1] : DeepProblem.ExpandInTime(InputGram, Points, Steps);
        double[] kernelAbove = layer < Layers ? G[layer + 1] : Constant(s, 1.0);
        return LayerEquation.Create(s, Points, C, Delta, layer > 1 ? A[layer - 1] : zero, kernelBelow, layer < Layers ? B[layer] : zero, kernelAbove,
            new SourceDirections(Feature: layer > 1, Backward: layer < Layers));
    }

    /// <summary>u^l: constant in time with covariance K^x over the points in layer 1, else GP(0, Phi^{l-1}).</summary>
    public GaussianSource FeatureSource(int layer, double jitter) =>
        layer == 1 ? GaussianSource.ConstantInTime(Size, Points, InputGram, jitter) : GaussianSource.Process(Size, Phi[layer - 1], jitter);

    /// <summary>r^l: w, one constant shared by all points and steps (G^{L+1} = 1), in layer L, else GP(0, G^{l+1}).</summary>
    public GaussianSource BackwardSource(int layer, double jitter) =>
        layer == Layers ? GaussianSource.Constant(Size, 1.0) : GaussianSource.Process(Size, G[layer + 1], jitter);

    private static double[] Constant(int s, double value)
    {
        var matrix = new double[s * s];
        Array.Fill(matrix, value);
        return matrix;
    }
}
