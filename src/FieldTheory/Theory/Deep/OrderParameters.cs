namespace FieldTheory.Theory.Deep;

/// <summary>
/// The deterministic order parameters of the deep single-site process (DESIGN.md 3.2), dense over the time-major
/// index: Phi^l (l = 0..L, Phi^0 = K^x), G^l (l = 1..L+1, G^{L+1} = 1), the responses A^l (l = 0..L-1, A^0 = 0) and
/// B^l (l = 1..L, B^L = 0) with training-point columns only filled, Delta on training points, and f on all points.
/// </summary>
internal sealed class OrderParameters
{
    public OrderParameters(DeepProblem problem)
    {
        int layers = problem.HiddenLayers;
        long square = (long)problem.Size * problem.Size;
        Phi = new double[layers + 1][];
        G = new double[layers + 2][];
        A = new double[layers + 1][];
        B = new double[layers + 1][];
        Phi[0] = problem.ExpandedInputGram();
        G[layers + 1] = new double[square];
        Array.Fill(G[layers + 1], 1.0);
        for (int l = 0; l <= layers; l++)
        {
            if (l >= 1)
            {
                Phi[l] = new double[square];
                G[l] = new double[square];
                B[l] = new double[square];
            }

            if (l < layers)
            {
                A[l] = new double[square];
            }
        }

        Delta = new double[problem.Size];
        F = new double[problem.Steps + 1][];
        for (int n = 0; n <= problem.Steps; n++)
        {
            F[n] = new double[problem.Points];
        }
    }

    /// <summary>Dense Size x Size matrices held for L layers: Phi, G, A, B per layer plus K^x and G^{L+1}.</summary>
    public static long MatrixCount(int layers) => 4L * layers + 2;

    public double[][] Phi { get; }

    public double[][] G { get; }

    public double[][] A { get; }

    public double[][] B { get; }

    public double[] Delta { get; }

    public double[][] F { get; }

    /// <summary>this += damping (next - this) on every learned entry; returns the largest change before damping.</summary>
    public double DampTowards(OrderParameters next, double damping)
    {
        double residual = 0;
        void Blend(double[] target, double[] source)
        {
            for (long k = 0; k < target.LongLength; k++)
            {
                double change = source[k] - target[k];
                residual = Math.Max(residual, Math.Abs(change));
                target[k] += damping * change;
            }
        }

        for (int l = 1; l < Phi.Length; l++)
        {
            Blend(Phi[l], next.Phi[l]);
            Blend(G[l], next.G[l]);
            Blend(B[l], next.B[l]);
        }

        for (int l = 1; l < A.Length - 1; l++)
        {
            Blend(A[l], next.A[l]);
        }

        Blend(Delta, next.Delta);
        for (int n = 0; n < F.Length; n++)
        {
            Blend(F[n], next.F[n]);
        }

        return residual;
    }
}
