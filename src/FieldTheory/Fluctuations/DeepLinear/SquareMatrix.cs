namespace FieldTheory.Fluctuations.DeepLinear;

/// <summary>
/// Small dense S x S matrices over the time-major index i = n * Points + mu, row-major. Products skip zero entries of
/// the left factor, which makes the sparse perturbations of the tangent pass (one or two non-zero entries) cheap.
/// </summary>
internal static class SquareMatrix
{
    public static double[] Identity(int size)
    {
        var identity = new double[size * size];
        for (int i = 0; i < size; i++)
        {
            identity[i * size + i] = 1;
        }

        return identity;
    }

    /// <summary>a b.</summary>
    public static double[] Multiply(double[] a, double[] b, int size)
    {
        var product = new double[size * size];
        for (int i = 0; i < size; i++)
        {
            Span<double> row = product.AsSpan(i * size, size);
            for (int k = 0; k < size; k++)
            {
                double aik = a[i * size + k];
                if (aik == 0)
                {
                    continue;
                }

                ReadOnlySpan<double> bRow = b.AsSpan(k * size, size);
                for (int j = 0; j < size; j++)
                {
                    row[j] += aik * bRow[j];
                }
            }
        }

        return product;
    }

    /// <summary>a b c.</summary>
    public static double[] Multiply(double[] a, double[] b, double[] c, int size) => Multiply(Multiply(a, b, size), c, size);

    public static double[] Transpose(double[] a, int size)
    {
        var transpose = new double[size * size];
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                transpose[j * size + i] = a[i * size + j];
            }
        }

        return transpose;
    }

    /// <summary>sum_k w_k m_k, all of one size.</summary>
    public static double[] Combine(params (double Weight, double[] Matrix)[] terms)
    {
        var sum = new double[terms[0].Matrix.Length];
        foreach ((double weight, double[] matrix) in terms)
        {
            for (int k = 0; k < sum.Length; k++)
            {
                sum[k] += weight * matrix[k];
            }
        }

        return sum;
    }

    /// <summary>x + x^T.</summary>
    public static double[] PlusTranspose(double[] x, int size)
    {
        var sum = new double[size * size];
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                sum[i * size + j] = x[i * size + j] + x[j * size + i];
            }
        }

        return sum;
    }

    /// <summary>(I - x)^-1 for x strictly block lower triangular (nilpotent), by forward substitution row by row.</summary>
    public static double[] InverseOfIdentityMinusNilpotent(double[] x, int size)
    {
        // R = I + x R: row i of R needs only rows k < i (x(i, k) = 0 for k >= i's block, and within a block k < i).
        var r = new double[size * size];
        for (int i = 0; i < size; i++)
        {
            Span<double> row = r.AsSpan(i * size, size);
            row[i] = 1;
            for (int k = 0; k < size; k++)
            {
                double xik = x[i * size + k];
                if (xik == 0)
                {
                    continue;
                }

                if (k >= i)
                {
                    throw new InvalidOperationException("the memory kernel product must be strictly causal");
                }

                ReadOnlySpan<double> kRow = r.AsSpan(k * size, size);
                for (int j = 0; j < size; j++)
                {
                    row[j] += xik * kRow[j];
                }
            }
        }

        return r;
    }

    public static double MaxAbsDifference(double[] a, double[] b)
    {
        double max = 0;
        for (int k = 0; k < a.Length; k++)
        {
            max = Math.Max(max, Math.Abs(a[k] - b[k]));
        }

        return max;
    }
}
