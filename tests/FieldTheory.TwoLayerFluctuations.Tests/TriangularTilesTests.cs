using FieldTheory.Fluctuations.TwoLayer;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>
/// The propagator's register-tiled kernels against plain loops: the forward solve bit for bit (the same terms in the
/// same order), with and without per-column row limits, at sizes that leave partial row and column tiles; the
/// quadratic forms to rounding.
/// </summary>
public sealed class TriangularTilesTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 5)]
    [InlineData(37, 50)]
    [InlineData(64, 24)]
    public void ForwardSolveEqualsPlainForwardSubstitution(int n, int width)
    {
        var random = new Random(n + width);
        double[] lower = [.. Enumerable.Range(0, n * n).Select(_ => random.NextDouble() - 0.5)];
        double[] y = [.. Enumerable.Range(0, n * width).Select(_ => random.NextDouble() - 0.5)];
        double[] padded = TriangularTiles.Pad(y, n, width);
        TriangularTiles.ForwardSolve(lower, n, padded, width);
        double[] tiled = TriangularTiles.Unpad(padded, n, width);
        double[] plain = PlainForwardSolve(lower, n, y, width);
        for (int k = 0; k < plain.Length; k++)
        {
            Assert.Equal(plain[k], tiled[k]);
        }
    }

    [Fact]
    public void ForwardSolveWithColumnLimitsComputesEveryNeededEntry()
    {
        const int n = 41, width = 61;
        var random = new Random(3);
        double[] lower = [.. Enumerable.Range(0, n * n).Select(_ => random.NextDouble() - 0.5)];
        double[] y = [.. Enumerable.Range(0, n * width).Select(_ => random.NextDouble() - 0.5)];
        int[] limits = [.. Enumerable.Range(0, width).Select(c => Math.Min(n, c * 2 / 3))];
        double[] padded = TriangularTiles.Pad(y, n, width);
        TriangularTiles.ForwardSolve(lower, n, padded, width, limits);
        double[] tiled = TriangularTiles.Unpad(padded, n, width);
        double[] plain = PlainForwardSolve(lower, n, y, width);
        for (int c = 0; c < width; c++)
        {
            for (int i = 0; i < limits[c]; i++)
            {
                Assert.Equal(plain[(i * width) + c], tiled[(i * width) + c]);
            }
        }
    }

    [Fact]
    public void RowQuadraticFormsMatchTheDoubleSum()
    {
        const int n = 29, rows = 43;
        var random = new Random(5);
        double[] s = [.. Enumerable.Range(0, n * n).Select(_ => random.NextDouble() - 0.5)];
        int[] limits = [.. Enumerable.Range(0, rows).Select(r => Math.Min(n, r * 2 / 3))];
        var a = new double[rows * n];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < limits[r]; i++)
            {
                a[(r * n) + i] = random.NextDouble() - 0.5;
            }
        }

        double[] forms = TriangularTiles.RowQuadraticForms(a, rows, TriangularTiles.Pad(s, n, n), n, limits);
        for (int r = 0; r < rows; r++)
        {
            double expected = 0.0, scale = 0.0;
            for (int i = 0; i < limits[r]; i++)
            {
                for (int j = 0; j < limits[r]; j++)
                {
                    double term = a[(r * n) + i] * s[(i * n) + j] * a[(r * n) + j];
                    expected += term;
                    scale += Math.Abs(term);
                }
            }

            Assert.True(Math.Abs(forms[r] - expected) <= 1e-14 * (1.0 + scale), $"row {r}: {forms[r]:R} against {expected:R}");
        }
    }

    private static double[] PlainForwardSolve(double[] lower, int n, double[] y, int width)
    {
        var x = (double[])y.Clone();
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < width; c++)
            {
                double sum = x[(i * width) + c];
                for (int j = 0; j < i; j++)
                {
                    sum = Math.FusedMultiplyAdd(-lower[(i * n) + j], x[(j * width) + c], sum);
                }

                x[(i * width) + c] = sum;
            }
        }

        return x;
    }
}
