using FieldTheory.Compute;
using System.Numerics;

namespace FieldTheory.Ensembles.Tests;

/// <summary>The CPU engine's vectorised tanh against <see cref="Math.Tanh"/>.</summary>
public sealed class VectorTanhTests
{
    [Fact]
    public void MatchesMathTanhToAFewUlps()
    {
        // Tiny, small (the k = 0 branch), medium, large and saturated arguments of both signs, plus zero.
        double[] points = [.. Enumerable.Range(-4000, 8001).Select(i => i / 100.0)
            .Concat(Enumerable.Range(-300, 301).Select(i => Math.Pow(10.0, i / 10.0)))
            .SelectMany(x => new[] { x, -x })];
        double worst = 0.0;
        for (int start = 0; start + Vector<double>.Count <= points.Length; start += Vector<double>.Count)
        {
            Vector<double> t = VectorTanh.Tanh(new Vector<double>(points, start));
            for (int lane = 0; lane < Vector<double>.Count; lane++)
            {
                double x = points[start + lane], expected = Math.Tanh(x);
                Assert.True(t[lane] == expected || Math.Sign(t[lane]) == Math.Sign(expected), $"sign at {x:R}");
                worst = Math.Max(worst, Math.Abs(t[lane] - expected) / Math.Max(double.Epsilon, Math.Abs(expected)));
            }
        }

        Assert.True(worst <= 4 * Math.Pow(2, -52), $"largest relative error {worst:R}");
    }
}
