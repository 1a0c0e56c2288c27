using System.Numerics;

namespace FieldTheory.Fluctuations.DeepLinear;

/// <summary>
/// In-place LU factorisation with partial pivoting of a dense n x n row-major matrix, and solves for many right-hand
/// sides at once (row operations on the right-hand side block, SIMD over its columns). The propagator never forms an
/// inverse: every (I - D)^-1 and (I - J Sigma0)^-1 is a solve with this factorisation.
/// </summary>
internal sealed class DenseLu
{
    private readonly double[] _lu;
    private readonly int[] _pivot;
    private readonly int _n;

    /// <summary>Factorises <paramref name="matrix"/> in place (it is overwritten by L and U).</summary>
    public DenseLu(double[] matrix, int n)
    {
        _lu = matrix;
        _n = n;
        _pivot = new int[n];
        for (int k = 0; k < n; k++)
        {
            int best = k;
            double bestAbs = Math.Abs(matrix[(long)k * n + k]);
            for (int i = k + 1; i < n; i++)
            {
                double value = Math.Abs(matrix[(long)i * n + k]);
                if (value > bestAbs)
                {
                    best = i;
                    bestAbs = value;
                }
            }

            if (bestAbs == 0)
            {
                throw new InvalidOperationException($"the matrix is singular (column {k} has no pivot)");
            }

            _pivot[k] = best;
            if (best != k)
            {
                SwapRows(matrix, n, k, best);
            }

            double pivot = matrix[(long)k * n + k];
            ReadOnlySpan<double> pivotRow = matrix.AsSpan((int)((long)k * n + k + 1), n - k - 1);
            for (int i = k + 1; i < n; i++)
            {
                long at = (long)i * n + k;
                if (matrix[at] == 0)
                {
                    continue;
                }

                double factor = matrix[at] / pivot;
                matrix[at] = factor;
                SubtractScaled(matrix.AsSpan((int)(at + 1), n - k - 1), factor, pivotRow);
            }
        }
    }

    /// <summary>Overwrites the n x <paramref name="columns"/> row-major block <paramref name="rhs"/> with the solution X of A X = rhs.</summary>
    public void Solve(double[] rhs, int columns)
    {
        int n = _n;
        for (int k = 0; k < n; k++)
        {
            if (_pivot[k] != k)
            {
                SwapRows(rhs, columns, k, _pivot[k]);
            }
        }

        for (int i = 0; i < n; i++)
        {
            Span<double> row = rhs.AsSpan((int)((long)i * columns), columns);
            for (int k = 0; k < i; k++)
            {
                double factor = _lu[(long)i * n + k];
                if (factor != 0)
                {
                    SubtractScaled(row, factor, rhs.AsSpan((int)((long)k * columns), columns));
                }
            }
        }

        for (int i = n - 1; i >= 0; i--)
        {
            Span<double> row = rhs.AsSpan((int)((long)i * columns), columns);
            for (int k = i + 1; k < n; k++)
            {
                double factor = _lu[(long)i * n + k];
                if (factor != 0)
                {
                    SubtractScaled(row, factor, rhs.AsSpan((int)((long)k * columns), columns));
                }
            }

            double inverse = 1 / _lu[(long)i * n + i];
            for (int j = 0; j < columns; j++)
            {
                row[j] *= inverse;
            }
        }
    }

    // target -= factor * source, vectorised.
    private static void SubtractScaled(Span<double> target, double factor, ReadOnlySpan<double> source)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var scale = new Vector<double>(factor);
            for (; j <= target.Length - Vector<double>.Count; j += Vector<double>.Count)
            {
                var t = new Vector<double>(target[j..]);
                (t - scale * new Vector<double>(source[j..])).CopyTo(target[j..]);
            }
        }

        for (; j < target.Length; j++)
        {
            target[j] -= factor * source[j];
        }
    }

    private static void SwapRows(double[] matrix, int columns, int a, int b)
    {
        Span<double> rowA = matrix.AsSpan((int)((long)a * columns), columns);
        Span<double> rowB = matrix.AsSpan((int)((long)b * columns), columns);
        for (int j = 0; j < columns; j++)
        {
            (rowA[j], rowB[j]) = (rowB[j], rowA[j]);
        }
    }
}
