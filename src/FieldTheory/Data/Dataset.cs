namespace FieldTheory.Data;

/// <summary>
/// Training and test inputs with scalar targets, flattened row-major: <c>X[mu * Dimension + i]</c>. Immutable after
/// construction. Input Gram matrices use the convention K^x = x . x' / D (DESIGN.md section 2).
/// </summary>
public sealed class Dataset
{
    /// <summary>A data set of P = y.Length points of dimension D; test points optional.</summary>
    public Dataset(int dimension, double[] x, double[] y, double[]? testX = null, double[]? testY = null, string description = "")
    {
        if (dimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The input dimension must be at least 1.");
        }

        if (x.Length != y.Length * dimension)
        {
            throw new ArgumentException($"x has {x.Length} numbers; {y.Length} points of dimension {dimension} need {y.Length * dimension}.", nameof(x));
        }

        testX ??= [];
        if (testX.Length % dimension != 0 || (testY is not null && testY.Length * dimension != testX.Length))
        {
            throw new ArgumentException("testX and testY do not describe the same number of test points.", nameof(testX));
        }

        Dimension = dimension;
        X = x;
        Y = y;
        TestX = testX;
        TestY = testY;
        Description = description;
    }

    /// <summary>D, the input dimension.</summary>
    public int Dimension { get; }

    /// <summary>P, the number of training points.</summary>
    public int Count => Y.Length;

    /// <summary>Number of test points (0 if none).</summary>
    public int TestCount => TestX.Length / Dimension;

    /// <summary>Training inputs, P x D row-major.</summary>
    public double[] X { get; }

    /// <summary>Training targets, P.</summary>
    public double[] Y { get; }

    /// <summary>Test inputs, P_test x D row-major (empty if none).</summary>
    public double[] TestX { get; }

    /// <summary>Test targets, or null when the test points have none.</summary>
    public double[]? TestY { get; }

    /// <summary>One line saying what the data is, for logs and result files.</summary>
    public string Description { get; }

    /// <summary>K^x over training then test points: an (P + P_test) x (P + P_test) row-major matrix, x . x' / D.</summary>
    public double[] InputGram()
    {
        int n = Count + TestCount;
        var gram = new double[n * n];
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                double dot = 0.0;
                ReadOnlySpan<double> xa = Input(a);
                ReadOnlySpan<double> xb = Input(b);
                for (int i = 0; i < Dimension; i++)
                {
                    dot += xa[i] * xb[i];
                }

                gram[(a * n) + b] = gram[(b * n) + a] = dot / Dimension;
            }
        }

        return gram;
    }

    /// <summary>The training points' block of <see cref="InputGram"/>: P x P, row-major.</summary>
    internal double[] TrainingGram()
    {
        int points = Count + TestCount;
        double[] gram = InputGram();
        var train = new double[Count * Count];
        for (int mu = 0; mu < Count; mu++)
        {
            Array.Copy(gram, mu * points, train, mu * Count, Count);
        }

        return train;
    }

    /// <summary>Input a, counting training points first and then test points.</summary>
    public ReadOnlySpan<double> Input(int a) => a < Count
        ? X.AsSpan(a * Dimension, Dimension)
        : TestX.AsSpan((a - Count) * Dimension, Dimension);
}
