namespace FieldTheory.Fluctuations.Lazy;

/// <summary>Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (accurate to rounding for any spectrum).</summary>
internal static class SymmetricEigen
{
    /// <summary>Eigenvalues and eigenvectors (columns of V, n x n row-major) of the symmetric n x n <paramref name="a"/>.</summary>
    public static (double[] Values, double[] Vectors) Of(double[] a, int n)
    {
        var m = (double[])a.Clone();
        var v = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            v[(i * n) + i] = 1.0;
        }

        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0.0;
            double diagonal = 0.0;
            for (int i = 0; i < n; i++)
            {
                diagonal += m[(i * n) + i] * m[(i * n) + i];
                for (int j = i + 1; j < n; j++)
                {
                    off += m[(i * n) + j] * m[(i * n) + j];
                }
            }

            if (off <= 1e-32 * diagonal || off == 0.0)
            {
                break;
            }

            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    double apq = m[(p * n) + q];
                    if (apq == 0.0)
                    {
                        continue;
                    }

                    double theta = (m[(q * n) + q] - m[(p * n) + p]) / (2.0 * apq);
                    double t = Math.Sign(theta == 0.0 ? 1.0 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1.0));
                    double c = 1.0 / Math.Sqrt((t * t) + 1.0);
                    double s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double mkp = m[(k * n) + p];
                        double mkq = m[(k * n) + q];
                        m[(k * n) + p] = (c * mkp) - (s * mkq);
                        m[(k * n) + q] = (s * mkp) + (c * mkq);
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double mpk = m[(p * n) + k];
                        double mqk = m[(q * n) + k];
                        m[(p * n) + k] = (c * mpk) - (s * mqk);
                        m[(q * n) + k] = (s * mpk) + (c * mqk);
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[(k * n) + p];
                        double vkq = v[(k * n) + q];
                        v[(k * n) + p] = (c * vkp) - (s * vkq);
                        v[(k * n) + q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = m[(i * n) + i];
        }

        return (values, v);
    }
}
