namespace FieldTheory.Theory.Deep;

/// <summary>
/// The lower Cholesky factor of a growing covariance over the time-major index, extended one time block at a time
/// (DESIGN.md 3.2): the rows of a new block need only the covariance rows of that block and the factor so far, so a
/// Gaussian path can be extended by one step while its past stays fixed. Temporal kernels are nearly singular, so each
/// pivot gets a relative jitter and negative rounding residues are clamped to zero.
/// </summary>
internal sealed class BorderedCholesky(int size, double jitter)
{
    private readonly double[] _factor = new double[(long)size * size];

    /// <summary>L(i, j).</summary>
    public double this[int i, int j] => _factor[(long)i * size + j];

    /// <summary>Row i of the factor, entries 0..i.</summary>
    public ReadOnlySpan<double> Row(int i) => _factor.AsSpan((int)((long)i * size), i + 1);

    /// <summary>Computes rows start..end from the covariance rows (row-major, size x size, read for columns &lt;= row).</summary>
    public void Extend(int start, int end, double[] covariance)
    {
        for (int i = start; i < end; i++)
        {
            long row = (long)i * size;
            for (int j = 0; j <= i; j++)
            {
                long other = (long)j * size;
                double sum = covariance[row + j];
                for (int k = 0; k < j; k++)
                {
                    sum -= _factor[row + k] * _factor[other + k];
                }

                if (j < i)
                {
                    double pivot = _factor[other + j];
                    _factor[row + j] = pivot > 0 ? sum / pivot : 0;
                }
                else
                {
                    double scale = Math.Abs(covariance[row + i]);
                    _factor[row + i] = Math.Sqrt(Math.Max(sum, 0) + jitter * (scale > 0 ? scale : 1));
                }
            }
        }
    }
}
