namespace FieldTheory.Fluctuations.Lazy;

/// <summary>
/// The eigenbasis of the training NTK, K = sum_k lambda_k v_k v_k^T, with the projected targets y_k = v_k . y, and
/// the linear maps from a kernel perturbation delta K (over Q x P entries, index a P + b) to delta Delta and to test outputs
/// (DESIGN.md 4.4).
/// </summary>
internal sealed class KernelModes
{
    private readonly double[] _kernel;
    private readonly double[] _projected;

    public KernelModes(double[] kernel, int train, double[] targets)
    {
        _kernel = kernel;
        Train = train;
        Points = kernel.Length / train;
        var k = new double[train * train];
        Array.Copy(kernel, k, train * train);
        (Values, Vectors) = SymmetricEigen.Of(k, train);
        _projected = new double[train];
        for (int l = 0; l < train; l++)
        {
            for (int a = 0; a < train; a++)
            {
                _projected[l] += Vectors[(a * train) + l] * targets[a];
            }
        }
    }

    public int Train { get; }

    /// <summary>Q = P + P_test.</summary>
    public int Points { get; }

    public int Test => Points - Train;

    /// <summary>Q P kernel entries.</summary>
    public int Entries => Points * Train;

    /// <summary>lambda_k.</summary>
    public double[] Values { get; }

    /// <summary>v_k as columns, P x P.</summary>
    public double[] Vectors { get; }

    /// <summary>Delta(n) = (I - eta K)^n y.</summary>
    public double[] Delta(int n, double eta) => Combine(k => Math.Pow(1.0 - (eta * Values[k]), n));

    /// <summary>Delta(t) = exp(-K t) y.</summary>
    public double[] DeltaAt(double t) => Combine(k => Math.Exp(-Values[k] * t));

    /// <summary>
    /// L (P x Q P): delta Delta_mu = sum_e L[mu, e] delta K_e with L[mu, (a, b)] = - sum_k v_k,mu v_k,a sum_l F_kl y_l v_l,b
    /// for training a (test rows of delta K do not move training errors).
    /// </summary>
    public double[] DeltaMap(double[] factors)
    {
        int p = Train;
        var weights = new double[p * p];
        for (int k = 0; k < p; k++)
        {
            for (int b = 0; b < p; b++)
            {
                double sum = 0.0;
                for (int l = 0; l < p; l++)
                {
                    sum += factors[(k * p) + l] * _projected[l] * Vectors[(b * p) + l];
                }

                weights[(k * p) + b] = sum;
            }
        }

        var map = new double[p * Entries];
        for (int mu = 0; mu < p; mu++)
        {
            for (int a = 0; a < p; a++)
            {
                for (int b = 0; b < p; b++)
                {
                    double sum = 0.0;
                    for (int k = 0; k < p; k++)
                    {
                        sum += Vectors[(mu * p) + k] * Vectors[(a * p) + k] * weights[(k * p) + b];
                    }

                    map[(mu * Entries) + (a * p) + b] = -sum;
                }
            }
        }

        return map;
    }

    /// <summary>f_test = K_test,train S with S = eta sum_{m &lt; n} Delta(m).</summary>
    public double[] TestOutput(double[] sumDelta)
    {
        var f = new double[Test];
        for (int j = 0; j < Test; j++)
        {
            for (int b = 0; b < Train; b++)
            {
                f[j] += _kernel[((Train + j) * Train) + b] * sumDelta[b];
            }
        }

        return f;
    }

    /// <summary>
    /// The map delta K -> delta f_test(n) (P_test x Q P): delta K_test,train S + K_test,train (eta sum_{m &lt; n} L(m)),
    /// with <paramref name="sumMaps"/> = eta sum_{m &lt; n} L(m).
    /// </summary>
    public double[] TestMap(double[] sumDelta, double[] sumMaps)
    {
        var map = new double[Test * Entries];
        for (int j = 0; j < Test; j++)
        {
            for (int b = 0; b < Train; b++)
            {
                map[(j * Entries) + ((Train + j) * Train) + b] += sumDelta[b];
            }

            for (int mu = 0; mu < Train; mu++)
            {
                double k = _kernel[((Train + j) * Train) + mu];
                for (int e = 0; e < Entries; e++)
                {
                    map[(j * Entries) + e] += k * sumMaps[(mu * Entries) + e];
                }
            }
        }

        return map;
    }

    private double[] Combine(Func<int, double> decay)
    {
        var delta = new double[Train];
        for (int k = 0; k < Train; k++)
        {
            double c = decay(k) * _projected[k];
            for (int mu = 0; mu < Train; mu++)
            {
                delta[mu] += Vectors[(mu * Train) + k] * c;
            }
        }

        return delta;
    }
}
