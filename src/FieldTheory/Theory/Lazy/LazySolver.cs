using FieldTheory.Results;

namespace FieldTheory.Theory.Lazy;

/// <summary>
/// Kernel-regression dynamics of the lazy limit (DESIGN.md 3.4) in discrete time with the experiment's eta:
/// Delta(n+1) = Delta(n) - eta K Delta(n) on training points and f_test(n+1) = f_test(n) + eta K_(test,train) Delta(n),
/// from the infinite-width mean f(0) = 0 (so Delta(0) = y in either convention). Memory: O(L Q^2 + T (Q + P^2)).
/// </summary>
internal static class LazySolver
{
    /// <summary>Every series of the lazy dynamics for the given kernels.</summary>
    public static Series Solve(LazyKernels kernels, int train, double[] targets, double eta, int steps)
    {
        int q = kernels.Points;
        int test = q - train;
        var f = new double[steps + 1][];
        var delta = new double[steps + 1][];
        var loss = new double[steps + 1];
        var testF = new double[steps + 1][];
        double[][] ntkTrain = Block(kernels.Ntk, q, 0, train, 0, train);
        var ntk = Enumerable.Repeat(ntkTrain, steps + 1).ToArray();
        delta[0] = (double[])targets.Clone();
        testF[0] = new double[test];
        for (int n = 0; n <= steps; n++)
        {
            f[n] = new double[train];
            for (int a = 0; a < train; a++)
            {
                f[n][a] = targets[a] - delta[n][a];
                loss[n] += 0.5 * delta[n][a] * delta[n][a];
            }

            if (n == steps)
            {
                break;
            }

            delta[n + 1] = new double[train];
            testF[n + 1] = new double[test];
            for (int mu = 0; mu < q; mu++)
            {
                double drive = 0.0;
                for (int a = 0; a < train; a++)
                {
                    drive += kernels.Ntk[(mu * q) + a] * delta[n][a];
                }

                if (mu < train)
                {
                    delta[n + 1][mu] = delta[n][mu] - (eta * drive);
                }
                else
                {
                    testF[n + 1][mu - train] = testF[n][mu - train] + (eta * drive);
                }
            }
        }

        double[][][][] Static(double[][] perLayer) =>
            [.. perLayer.Select(k => Enumerable.Repeat(Block(k, q, 0, train, 0, train), steps + 1).ToArray())];

        return new Series(f, delta, ntk, loss, test > 0 ? testF : null, Static(kernels.Phi), Static(kernels.G));
    }

    /// <summary>Rows [r0, r0 + rows) and columns [c0, c0 + columns) of a q x q row-major matrix.</summary>
    public static double[][] Block(double[] matrix, int q, int r0, int rows, int c0, int columns)
    {
        var block = new double[rows][];
        for (int r = 0; r < rows; r++)
        {
            block[r] = matrix.AsSpan(((r0 + r) * q) + c0, columns).ToArray();
        }

        return block;
    }
}
