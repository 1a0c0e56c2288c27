namespace FieldTheory.Theory.Lazy;

/// <summary>
/// The static kernels of the lazy limit (DESIGN.md 3.4) over Q points (training then test), each Q x Q row-major:
/// Phi^0 = K^x, Phi^l = E[phi(u) phi(u')] with (u, u') ~ N(0, Phi^(l-1)), G^(L+1) = 1,
/// G^l = G^(l+1) o E[phi'(u) phi'(u')], and the NTK K = sum_(l=0..L) G^(l+1) o Phi^l (o: elementwise).
/// </summary>
/// <param name="Phi">Phi^1 .. Phi^L.</param>
/// <param name="G">G^1 .. G^L.</param>
/// <param name="Ntk">K.</param>
/// <param name="Points">Q.</param>
internal sealed record LazyKernels(double[][] Phi, double[][] G, double[] Ntk, int Points)
{
    /// <summary>Runs the recursion for <paramref name="layers"/> hidden layers with the given expectation.</summary>
    public static LazyKernels Compute(double[] inputGram, int points, int layers, PairExpectation expectation)
    {
        var phi = new double[layers + 1][];
        var derivative = new double[layers + 1][];
        phi[0] = inputGram;
        for (int l = 1; l <= layers; l++)
        {
            double[] previous = phi[l - 1];
            var next = new double[points * points];
            var dots = new double[points * points];
            Parallel.For(0, points, mu =>
            {
                for (int nu = 0; nu <= mu; nu++)
                {
                    (double value, double dot) = expectation.Evaluate(previous[(mu * points) + mu], previous[(nu * points) + nu], previous[(mu * points) + nu]);
                    next[(mu * points) + nu] = next[(nu * points) + mu] = value;
                    dots[(mu * points) + nu] = dots[(nu * points) + mu] = dot;
                }
            });
            phi[l] = next;
            derivative[l] = dots;
        }

        var g = new double[layers + 2][];
        g[layers + 1] = Enumerable.Repeat(1.0, points * points).ToArray();
        var ntk = new double[points * points];
        for (int l = layers; l >= 0; l--)
        {
            if (l >= 1)
            {
                g[l] = new double[points * points];
                for (int k = 0; k < g[l].Length; k++)
                {
                    g[l][k] = g[l + 1][k] * derivative[l][k];
                }
            }

            for (int k = 0; k < ntk.Length; k++)
            {
                ntk[k] += g[l + 1][k] * phi[l][k];
            }
        }

        return new LazyKernels(phi[1..], g[1..(layers + 1)], ntk, points);
    }
}
