using System.Numerics;

namespace FieldTheory.Theory.Online;

/// <summary>
/// An infinite-width two-layer network as a weighted measure over S neuron sites (W_i in R^D, w_i) with weights p_i
/// (DESIGN.md 3.5): f(x) = (1/gamma0) sum_i p_i w_i phi(W_i . x / sqrt D). A gradient step on the weighted loss
/// 1/2 sum_a q_a (y_a - f_a)^2 with the rescaled rate of DESIGN.md section 2 moves every site by
/// W_i += eta gamma0 w_i sum_a q_a Delta_a phi'(h_ia) x_a / sqrt D and w_i += eta gamma0 sum_a q_a Delta_a phi(h_ia)
/// (q_a = 1/B for a batch-mean loss, quadrature weights for the population), the width-N network's update with the
/// N-dependence scaled out (layer 0 without an extra 1/sqrt N: helper-common's correction of DESIGN.md section 2).
/// </summary>
/// <typeparam name="TActivation">The model's nonlinearity.</typeparam>
internal sealed class OnlineNetwork<TActivation>
    where TActivation : struct, IActivation
{
    /// <summary>Sites per chunk of the parallel loops (fixed, so sums do not depend on the thread count).</summary>
    private const int ChunkSize = 128;

    private readonly double[] _inputWeights; // S x D
    private readonly double[] _readout;      // S
    private readonly double[] _p;            // S
    private readonly int _d;
    private readonly double _gamma0;
    private readonly bool _parallel;
    private readonly double _inverseSqrtD;

    /// <param name="nodes">Initial sites, S rows of D + 1 numbers: W_i then w_i.</param>
    /// <param name="weights">Site weights p_i.</param>
    /// <param name="dimension">D.</param>
    /// <param name="gamma0">Feature-learning strength.</param>
    /// <param name="parallel">Spread the site loops over threads (off when the caller runs networks in parallel).</param>
    public OnlineNetwork(ReadOnlySpan<double> nodes, double[] weights, int dimension, double gamma0, bool parallel)
    {
        int s = weights.Length;
        _d = dimension;
        _p = weights;
        _gamma0 = gamma0;
        _parallel = parallel;
        _inverseSqrtD = 1.0 / Math.Sqrt(dimension);
        _inputWeights = new double[s * dimension];
        _readout = new double[s];
        for (int i = 0; i < s; i++)
        {
            nodes.Slice(i * (dimension + 1), dimension).CopyTo(_inputWeights.AsSpan(i * dimension, dimension));
            _readout[i] = nodes[(i * (dimension + 1)) + dimension];
        }
    }

    /// <summary>S.</summary>
    public int Sites => _p.Length;

    private int Chunks => (Sites + ChunkSize - 1) / ChunkSize;

    /// <summary>
    /// f on the m rows of <paramref name="x"/> (m x D). With <paramref name="phi"/> and <paramref name="dphi"/>
    /// (S x m, site-major) the activations are kept for <see cref="Step"/>.
    /// </summary>
    public void Outputs(double[] x, int m, double[] f, double[]? phi = null, double[]? dphi = null)
    {
        var partial = new double[Chunks][];
        ForEachChunk(c =>
        {
            var sum = new double[m];
            (int start, int end) = Range(c);
            for (int i = start; i < end; i++)
            {
                double pw = _p[i] * _readout[i];
                ReadOnlySpan<double> wi = _inputWeights.AsSpan(i * _d, _d);
                for (int a = 0; a < m; a++)
                {
                    double h = Dot(wi, x.AsSpan(a * _d, _d)) * _inverseSqrtD;
                    double value = default(TActivation).Value(h);
                    sum[a] += pw * value;
                    if (phi is not null)
                    {
                        phi[((long)i * m) + a] = value;
                        dphi![((long)i * m) + a] = default(TActivation).Derivative(h);
                    }
                }
            }

            partial[c] = sum;
        });

        for (int a = 0; a < m; a++)
        {
            double total = 0.0;
            foreach (double[] sum in partial)
            {
                total += sum[a];
            }

            f[a] = total / _gamma0;
        }
    }

    /// <summary>
    /// One gradient step on 1/2 sum_a q_a Delta_a^2 over the m rows of <paramref name="x"/>, using the activations that
    /// <see cref="Outputs"/> kept for the same rows (<paramref name="qDelta"/> holds q_a Delta_a).
    /// </summary>
    public void Step(double[] x, int m, double[] qDelta, double[] phi, double[] dphi, double eta)
    {
        double c = eta * _gamma0;
        ForEachChunk(chunk =>
        {
            Span<double> gradient = stackalloc double[_d];
            (int start, int end) = Range(chunk);
            for (int i = start; i < end; i++)
            {
                gradient.Clear();
                double readout = 0.0;
                long row = (long)i * m;
                for (int a = 0; a < m; a++)
                {
                    readout += qDelta[a] * phi[row + a];
                    double back = qDelta[a] * dphi[row + a];
                    for (int k = 0; k < _d; k++)
                    {
                        gradient[k] += back * x[(a * _d) + k];
                    }
                }

                double scale = c * _readout[i] * _inverseSqrtD;
                for (int k = 0; k < _d; k++)
                {
                    _inputWeights[(i * _d) + k] += scale * gradient[k];
                }

                _readout[i] += c * readout;
            }
        });
    }

    /// <summary>
    /// The infinite-width NTK on the m rows of <paramref name="x"/> (DESIGN.md section 2 with L = 1):
    /// K_ab = sum_i p_i [phi(h_ia) phi(h_ib) + (x_a . x_b / D) w_i^2 phi'(h_ia) phi'(h_ib)], from kept activations;
    /// needs p_i &gt;= 0 (a measure, not a perturbation of one).
    /// </summary>
    public double[][] Ntk(double[] x, int m, double[] phi, double[] dphi)
    {
        int s = Sites;
        var a1 = new double[(long)m * s];
        var g1 = new double[(long)m * s];
        for (int i = 0; i < s; i++)
        {
            double root = Math.Sqrt(_p[i]);
            double gRoot = root * _readout[i];
            for (int a = 0; a < m; a++)
            {
                a1[((long)a * s) + i] = root * phi[((long)i * m) + a];
                g1[((long)a * s) + i] = gRoot * dphi[((long)i * m) + a];
            }
        }

        var k = new double[m][];
        for (int a = 0; a < m; a++)
        {
            k[a] = new double[m];
        }

        Action<int> row = a =>
        {
            for (int b = a; b < m; b++)
            {
                double gram = Dot(x.AsSpan(a * _d, _d), x.AsSpan(b * _d, _d)) / _d;
                double value = Dot(a1.AsSpan(a * s, s), a1.AsSpan(b * s, s)) + (gram * Dot(g1.AsSpan(a * s, s), g1.AsSpan(b * s, s)));
                k[a][b] = value;
                k[b][a] = value;
            }
        };
        if (_parallel)
        {
            Parallel.For(0, m, row);
        }
        else
        {
            for (int a = 0; a < m; a++)
            {
                row(a);
            }
        }

        return k;
    }

    private static double Dot(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        double sum = 0.0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && u.Length >= 2 * Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            int width = Vector<double>.Count;
            for (; i <= u.Length - width; i += width)
            {
                acc += new Vector<double>(u.Slice(i, width)) * new Vector<double>(v.Slice(i, width));
            }

            sum = Vector.Sum(acc);
        }

        for (; i < u.Length; i++)
        {
            sum += u[i] * v[i];
        }

        return sum;
    }

    private (int Start, int End) Range(int chunk) => (chunk * ChunkSize, Math.Min(Sites, (chunk + 1) * ChunkSize));

    private void ForEachChunk(Action<int> body)
    {
        if (_parallel)
        {
            Parallel.For(0, Chunks, body);
        }
        else
        {
            for (int c = 0; c < Chunks; c++)
            {
                body(c);
            }
        }
    }
}
