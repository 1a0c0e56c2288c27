namespace FieldTheory.Fluctuations.Tests.DeepLinear;

/// <summary>
/// A plain, obviously-correct ensemble of deep linear networks with one input x = 1 (D = 1) and target y = 1, trained
/// with the conventions of DESIGN.md section 2: h^1 = W^0 x, h^{l+1} = W^l h^l / sqrt N, f = w . h^L / (gamma0 N),
/// g^L = w, g^l = W^l^T g^{l+1} / sqrt N, and theta -= eta gamma0^2 N grad L, i.e. W^0 += eta gamma0 Delta g^1 x,
/// W^l += (eta gamma0 / sqrt N) Delta g^{l+1} h^l^T, w += eta gamma0 Delta h^L. Records per member and step
/// Delta(n) and the NTK K(n) = sum_{l=0..L} G^{l+1}(n,n) H^l(n,n) (H^0 = 1, G^{L+1} = 1).
/// </summary>
internal static class DeepLinearEnsemble
{
    public static (double[][] Delta, double[][] Ntk) Train(int layers, int width, int members, double gamma0, double eta, int steps, bool centered, int seed)
    {
        var delta = new double[members][];
        var ntk = new double[members][];
        Parallel.For(0, members, new ParallelOptions { MaxDegreeOfParallelism = 2 }, e =>
        {
            (delta[e], ntk[e]) = Member(layers, width, gamma0, eta, steps, centered, new Random(seed * 1_000_003 + e));
        });
        return (delta, ntk);
    }

    private static (double[] Delta, double[] Ntk) Member(int layers, int n, double gamma0, double eta, int steps, bool centered, Random random)
    {
        double rootN = Math.Sqrt(n);
        var w0 = Normal(random, n);
        var hidden = new double[layers - 1][];
        for (int l = 0; l < layers - 1; l++)
        {
            hidden[l] = Normal(random, n * n);
        }

        var readout = Normal(random, n);
        var h = new double[layers + 1][];
        var g = new double[layers + 1][];
        for (int l = 1; l <= layers; l++)
        {
            h[l] = new double[n];
            g[l] = new double[n];
        }

        var deltas = new double[steps + 1];
        var ntks = new double[steps + 1];
        double f0 = 0;
        for (int step = 0; step <= steps; step++)
        {
            Array.Copy(w0, h[1], n);
            for (int l = 1; l < layers; l++)
            {
                MatVec(hidden[l - 1], h[l], h[l + 1], n, rootN);
            }

            Array.Copy(readout, g[layers], n);
            for (int l = layers - 1; l >= 1; l--)
            {
                MatTVec(hidden[l - 1], g[l + 1], g[l], n, rootN);
            }

            double f = Dot(readout, h[layers]) / (gamma0 * n);
            if (step == 0)
            {
                f0 = f;
            }

            double error = 1.0 - (centered ? f - f0 : f);
            deltas[step] = error;
            double k = Dot(g[1], g[1]) / n + Dot(h[layers], h[layers]) / n;
            for (int l = 1; l < layers; l++)
            {
                k += Dot(g[l + 1], g[l + 1]) / n * (Dot(h[l], h[l]) / n);
            }

            ntks[step] = k;
            if (step == steps)
            {
                break;
            }

            double c = eta * gamma0 * error;
            for (int i = 0; i < n; i++)
            {
                w0[i] += c * g[1][i];
                readout[i] += c * h[layers][i];
            }

            for (int l = 1; l < layers; l++)
            {
                double[] weights = hidden[l - 1];
                for (int i = 0; i < n; i++)
                {
                    double gi = c * g[l + 1][i] / rootN;
                    for (int j = 0; j < n; j++)
                    {
                        weights[i * n + j] += gi * h[l][j];
                    }
                }
            }
        }

        return (deltas, ntks);
    }

    private static void MatVec(double[] w, double[] x, double[] result, int n, double rootN)
    {
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int j = 0; j < n; j++)
            {
                sum += w[i * n + j] * x[j];
            }

            result[i] = sum / rootN;
        }
    }

    private static void MatTVec(double[] w, double[] x, double[] result, int n, double rootN)
    {
        Array.Clear(result);
        for (int i = 0; i < n; i++)
        {
            double xi = x[i] / rootN;
            for (int j = 0; j < n; j++)
            {
                result[j] += w[i * n + j] * xi;
            }
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double[] Normal(Random random, int count)
    {
        var values = new double[count];
        for (int i = 0; i < count; i += 2)
        {
            double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            double angle = 2 * Math.PI * random.NextDouble();
            values[i] = radius * Math.Cos(angle);
            if (i + 1 < count)
            {
                values[i + 1] = radius * Math.Sin(angle);
            }
        }

        return values;
    }
}
