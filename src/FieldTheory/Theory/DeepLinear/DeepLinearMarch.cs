using FieldTheory.Theory.Deep;

namespace FieldTheory.Theory.DeepLinear;

/// <summary>
/// The closed equations of DESIGN.md 3.3 marched in time. All matrices are dense over the time-major index
/// i = n * Points + mu (size Size = Points (T + 1)) and stored row-major. Causality makes the march exact: at step n
/// only the rows of time block n are new, and each is a product of rows that are already final. The forward pass
/// through the layers produces C, M, A, S and H rows; the backward pass D, Nn, B, R and G rows and the diagonal of X.
/// </summary>
internal sealed class DeepLinearMarch
{
    private readonly DeepProblem _problem;
    private readonly int _layers;
    private readonly int _points;
    private readonly int _size;
    private readonly double _gamma0;
    private readonly double _gamma0Squared;
    private readonly double _eta;

    // Layer-indexed matrices; H[0] = K^x, G[L + 1] = 1, A[0] = 0, B[L] = 0 (DESIGN.md 3.3).
    private readonly double[][] _h;
    private readonly double[][] _g;
    private readonly double[][] _a;
    private readonly double[][] _b;
    private readonly double[][] _c;
    private readonly double[][] _d;
    private readonly double[][] _m;
    private readonly double[][] _nn;
    private readonly double[][] _s;
    private readonly double[][] _r;

    private readonly double[] _delta;   // Delta at the time-major index; zero on test points and at unfinished steps
    private readonly double[][] _f;     // f over all points, [n][point]
    private readonly double[][][] _cross; // X^l(n,n) diagonal, [l-1][n][point]
    private readonly double[] _rowA;
    private readonly double[] _rowB;

    public DeepLinearMarch(DeepProblem problem)
    {
        _problem = problem;
        _layers = problem.HiddenLayers;
        _points = problem.Points;
        _size = problem.Size;
        _gamma0 = problem.Gamma0;
        _gamma0Squared = problem.Gamma0 * problem.Gamma0;
        _eta = problem.Eta;
        long square = (long)_size * _size;

        _h = new double[_layers + 1][];
        _h[0] = problem.ExpandedInputGram();
        _g = new double[_layers + 2][];
        _g[_layers + 1] = new double[square];
        Array.Fill(_g[_layers + 1], 1.0);
        _a = new double[_layers + 1][];
        _b = new double[_layers + 1][];
        _c = new double[_layers + 1][];
        _d = new double[_layers + 1][];
        _m = new double[_layers + 1][];
        _nn = new double[_layers + 1][];
        _s = new double[_layers + 1][];
        _r = new double[_layers + 1][];
        _a[0] = new double[square];
        _b[_layers] = new double[square];
        for (int l = 1; l <= _layers; l++)
        {
            _h[l] = new double[square];
            _g[l] = new double[square];
            _a[l] = new double[square];
            _b[l - 1] = new double[square];
            _c[l] = new double[square];
            _d[l] = new double[square];
            _m[l] = new double[square];
            _nn[l] = new double[square];
            _s[l] = new double[square];
            _r[l] = new double[square];
        }

        _delta = new double[_size];
        _f = new double[problem.Steps + 1][];
        _cross = new double[_layers][][];
        for (int l = 0; l < _layers; l++)
        {
            _cross[l] = new double[problem.Steps + 1][];
        }

        _rowA = new double[_size];
        _rowB = new double[_size];
    }

    /// <summary>Number of dense Size x Size matrices held: 10 per layer plus K^x, G^{L+1} = 1, A^0 and B^L.</summary>
    public static long MatrixCount(int hiddenLayers) => 10L * hiddenLayers + 4;

    public DeepTrajectory Run(CancellationToken ct, IProgress<double>? progress)
    {
        for (int n = 0; n <= _problem.Steps; n++)
        {
            ct.ThrowIfCancellationRequested();
            for (int l = 1; l <= _layers; l++)
            {
                Forward(l, n);
            }

            for (int l = _layers; l >= 1; l--)
            {
                Backward(l, n);
            }

            FinishStep(n);
            progress?.Report((n + 1.0) / (_problem.Steps + 1));
        }

        var phi = new TwoTimeKernel[_layers];
        var g = new TwoTimeKernel[_layers];
        for (int l = 1; l <= _layers; l++)
        {
            phi[l - 1] = new TwoTimeKernel(_h[l], _points, _problem.Steps);
            g[l - 1] = new TwoTimeKernel(_g[l], _points, _problem.Steps);
        }

        return DeepTrajectory.Assemble(_problem, _f, phi, g, _cross);
    }

    private int BlockStart(int i) => i - i % _points;

    private int BlockEnd(int i) => BlockStart(i) + _points;

    // Forward pass of layer l at step n: C = A^{l-1} + eta LD o H^{l-1}, M = (I - gamma0^2 C D)^-1, A^l = M C,
    // S = H^{l-1} + gamma0^2 C G^{l+1} C^T, H^l = M S M^T (DESIGN.md 3.3).
    private void Forward(int l, int n)
    {
        int start = n * _points;
        int end = start + _points;
        double[] c = _c[l], d = _d[l], m = _m[l], a = _a[l], s = _s[l], h = _h[l];
        double[] aBelow = _a[l - 1], hBelow = _h[l - 1], gAbove = _g[l + 1];

        for (int i = start; i < end; i++)
        {
            long row = (long)i * _size;
            for (int j = 0; j < start; j++)
            {
                c[row + j] = aBelow[row + j] + _eta * _delta[j] * hBelow[row + j];
            }
        }

        for (int i = start; i < end; i++)
        {
            long row = (long)i * _size;

            // (C D)(i, k) for k < start, then M(i, :) = e_i + gamma0^2 sum_k (C D)(i, k) M(k, :).
            Span<double> cd = _rowA.AsSpan(0, start);
            cd.Clear();
            for (int j = 0; j < start; j++)
            {
                double cij = c[row + j];
                if (cij != 0)
                {
                    AddScaled(cd[..BlockEnd(j)], cij, d, (long)j * _size);
                }
            }

            Array.Clear(m, (int)row, _size);
            m[row + i] = 1;
            for (int k = 0; k < start; k++)
            {
                double w = _gamma0Squared * cd[k];
                if (w != 0)
                {
                    AddScaledRow(m, row, w, m, (long)k * _size, BlockEnd(k));
                }
            }

            // A^l(i, :) = sum_{k <= i} M(i, k) C(k, :); C(k, :) vanishes beyond the start of k's block.
            Array.Clear(a, (int)row, _size);
            for (int k = 0; k < start; k++)
            {
                double mik = m[row + k];
                if (mik != 0)
                {
                    AddScaledRow(a, row, mik, c, (long)k * _size, BlockStart(k));
                }
            }

            AddScaledRow(a, row, 1.0, c, row, start);
        }

        for (int i = start; i < end; i++)
        {
            long row = (long)i * _size;
            Span<double> cg = _rowA.AsSpan(0, start);
            cg.Clear();
            for (int j = 0; j < start; j++)
            {
                double cij = c[row + j];
                if (cij != 0)
                {
                    AddScaled(cg, cij, gAbove, (long)j * _size);
                }
            }

            for (int k = 0; k < end; k++)
            {
                double value = hBelow[row + k] + _gamma0Squared * Dot(cg, c, (long)k * _size, BlockStart(k));
                s[row + k] = value;
                s[(long)k * _size + i] = value;
            }
        }

        SandwichRows(h, m, s, start, end);
    }

    // Backward pass of layer l at step n: D = B^l + eta LD o G^{l+1}, Nn = (I - gamma0^2 D C)^-1, B^{l-1} = Nn D,
    // R = G^{l+1} + gamma0^2 D H^{l-1} D^T, G^l = Nn R Nn^T, X^l = gamma0 M H^{l-1} D^T Nn^T + gamma0 M C G^{l+1} Nn^T.
    private void Backward(int l, int n)
    {
        int start = n * _points;
        int end = start + _points;
        double[] c = _c[l], d = _d[l], nn = _nn[l], bBelow = _b[l - 1], r = _r[l], m = _m[l], a = _a[l];
        double[] bHere = _b[l], hBelow = _h[l - 1], gAbove = _g[l + 1];

        for (int i = start; i < end; i++)
        {
            long row = (long)i * _size;
            for (int j = 0; j < end; j++)
            {
                d[row + j] = bHere[row + j] + (j < start ? _eta * _delta[j] * gAbove[row + j] : 0.0);
            }
        }

        for (int i = start; i < end; i++)
        {
            long row = (long)i * _size;
            Span<double> dc = _rowA.AsSpan(0, start);
            dc.Clear();
            for (int j = 0; j < end; j++)
            {
                double dij = d[row + j];
                if (dij != 0)
                {
                    AddScaled(dc[..Math.Min(start, BlockStart(j))], dij, c, (long)j * _size);
                }
            }

            Array.Clear(nn, (int)row, _size);
            nn[row + i] = 1;
            for (int k = 0; k < start; k++)
            {
                double w = _gamma0Squared * dc[k];
                if (w != 0)
                {
                    AddScaledRow(nn, row, w, nn, (long)k * _size, BlockEnd(k));
                }
            }

            Array.Clear(bBelow, (int)row, _size);
            for (int k = 0; k < start; k++)
            {
                double nik = nn[row + k];
                if (nik != 0)
                {
                    AddScaledRow(bBelow, row, nik, d, (long)k * _size, BlockEnd(k));
                }
            }

            AddScaledRow(bBelow, row, 1.0, d, row, end);
        }

        for (int i = start; i < end; i++)
        {
            long row = (long)i * _size;
            Span<double> dh = _rowA.AsSpan(0, end);
            dh.Clear();
            for (int j = 0; j < end; j++)
            {
                double dij = d[row + j];
                if (dij != 0)
                {
                    AddScaled(dh, dij, hBelow, (long)j * _size);
                }
            }

            for (int k = 0; k < end; k++)
            {
                double value = gAbove[row + k] + _gamma0Squared * Dot(dh, d, (long)k * _size, BlockEnd(k));
                r[row + k] = value;
                r[(long)k * _size + i] = value;
            }
        }

        SandwichRows(_g[l], nn, r, start, end);

        var cross = new double[_points];
        for (int i = start; i < end; i++)
        {
            long row = (long)i * _size;

            // (M H^{l-1})(i, :) . B^{l-1}(i, :) with B^{l-1} = Nn D.
            Span<double> mh = _rowA.AsSpan(0, end);
            mh.Clear();
            for (int k = 0; k < end; k++)
            {
                double mik = m[row + k];
                if (mik != 0)
                {
                    AddScaled(mh, mik, hBelow, (long)k * _size);
                }
            }

            double first = Dot(mh, bBelow, row, end);

            // (A^l G^{l+1})(i, :) . Nn(i, :) with A^l = M C.
            Span<double> ag = _rowB.AsSpan(0, end);
            ag.Clear();
            for (int j = 0; j < start; j++)
            {
                double aij = a[row + j];
                if (aij != 0)
                {
                    AddScaled(ag, aij, gAbove, (long)j * _size);
                }
            }

            double second = Dot(ag, nn, row, end);
            cross[i - start] = _gamma0 * (first + second);
        }

        _cross[l - 1][n] = cross;
    }

    // f(n) = X^L(n,n) / gamma0 (DESIGN.md 3.3); the centered convention subtracts f(0) (which is exactly 0 here).
    private void FinishStep(int n)
    {
        var f = new double[_points];
        for (int mu = 0; mu < _points; mu++)
        {
            double raw = _cross[_layers - 1][n][mu] / _gamma0;
            f[mu] = _problem.Centered ? raw - _cross[_layers - 1][0][mu] / _gamma0 : raw;
        }

        _f[n] = f;
        for (int mu = 0; mu < _problem.TrainCount; mu++)
        {
            _delta[n * _points + mu] = _problem.Y[mu] - f[mu];
        }
    }

    // Rows start..end of X = Q K Q^T, where Q is unit block lower triangular (Q(i, k) = 0 for k in i's block, k != i)
    // and K is symmetric and known on indices < end; writes X(i, k) and X(k, i) for k < end.
    private void SandwichRows(double[] x, double[] q, double[] k, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            long row = (long)i * _size;
            Span<double> qk = _rowA.AsSpan(0, end);
            qk.Clear();
            for (int j = 0; j < end; j++)
            {
                double qij = q[row + j];
                if (qij != 0)
                {
                    AddScaled(qk, qij, k, (long)j * _size);
                }
            }

            for (int col = 0; col < end; col++)
            {
                long other = (long)col * _size;
                double value = Dot(qk, q, other, BlockStart(col)) + qk[col];
                x[row + col] = value;
                x[other + i] = value;
            }
        }
    }

    // target[0..target.Length) += w * source[offset ..].
    private static void AddScaled(Span<double> target, double w, double[] source, long offset)
    {
        ReadOnlySpan<double> src = source.AsSpan((int)offset, target.Length);
        for (int k = 0; k < target.Length; k++)
        {
            target[k] += w * src[k];
        }
    }

    // target[row + k] += w * source[offset + k] for k < count.
    private static void AddScaledRow(double[] target, long row, double w, double[] source, long offset, int count)
    {
        Span<double> dst = target.AsSpan((int)row, count);
        ReadOnlySpan<double> src = source.AsSpan((int)offset, count);
        for (int k = 0; k < count; k++)
        {
            dst[k] += w * src[k];
        }
    }

    // sum_{k < count} x[k] * matrix[offset + k].
    private static double Dot(ReadOnlySpan<double> x, double[] matrix, long offset, int count)
    {
        ReadOnlySpan<double> row = matrix.AsSpan((int)offset, count);
        double sum = 0;
        for (int k = 0; k < count; k++)
        {
            sum += x[k] * row[k];
        }

        return sum;
    }
}
