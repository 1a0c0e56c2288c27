namespace FieldTheory.Theory.TwoLayer;

/// <summary>What the two-layer forward integration solves (DESIGN.md 2 and 3.1).</summary>
/// <param name="InputGram">K^x over training then test points, Q x Q row-major (Q = P + P_test).</param>
/// <param name="Train">P.</param>
/// <param name="Targets">y, P.</param>
/// <param name="Gamma0">gamma0.</param>
/// <param name="Eta">eta.</param>
/// <param name="Steps">T.</param>
/// <param name="Centered">Train f - f(0).</param>
/// <param name="RecordTwoTime">Also record Phi^1(n, m) and G^1(n, m).</param>
internal sealed record TwoLayerProblem(
    double[] InputGram,
    int Train,
    double[] Targets,
    double Gamma0,
    double Eta,
    int Steps,
    bool Centered,
    bool RecordTwoTime)
{
    /// <summary>Q, training plus test points.</summary>
    public int Points => (int)Math.Round(Math.Sqrt(InputGram.Length));

    /// <summary>Number of test points.</summary>
    public int Test => Points - Train;
}
