using FieldTheory.Compute;

namespace FieldTheory.Tests;

/// <summary>
/// <see cref="LaneErf"/> against <see cref="SpecialFunctions.Erf"/> at both lane widths, with vectors whose lanes fall
/// in different pieces: the same bits where no exp is involved (|x| &lt; 1/2, saturation, NaN, infinities), within the
/// rounding of the vectorised exp elsewhere.
/// </summary>
public sealed class LaneErfTests
{
    [Fact]
    public void LanesMatchTheScalarErfAtBothWidths()
    {
        double[] points = Points();
        Check<VectorLanes>(points);
        Check<Vector512Lanes>(points);
    }

    private static void Check<TLanes>(double[] points)
        where TLanes : struct, ILanes<TLanes>
    {
        for (int start = 0; start < points.Length; start += TLanes.Count)
        {
            TLanes erf = LaneMath.Erf(TLanes.Load(ref points[start], 0));
            for (int lane = 0; lane < TLanes.Count; lane++)
            {
                double x = points[start + lane];
                double expected = SpecialFunctions.Erf(x);
                string where = $"{typeof(TLanes).Name}, x = {x:R}: lanes {erf[lane]:R}, scalar {expected:R}";
                if (!(Math.Abs(x) >= 0.5 && Math.Abs(x) < 6.5))
                {
                    Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(erf[lane]), where);
                }
                else
                {
                    // exp within an ulp of Math.Exp carries into erfc <= 0.92 erf, plus the rounding of 1 - erfc.
                    Assert.True(Math.Abs(erf[lane] - expected) <= 6e-16 * Math.Abs(expected), where);
                }
            }
        }
    }

    // Every piece and its edges, shuffled so that vectors mix pieces, plus the special values; a multiple of 8.
    private static double[] Points()
    {
        var points = new List<double> { 0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e-300, -5e-324, 27.0 };
        for (int k = 0; k <= 7; k++)
        {
            double edge = k + 0.5;
            points.AddRange([edge, -edge, Math.BitDecrement(edge), -Math.BitDecrement(edge), Math.BitIncrement(edge), k, -k, k + 0.25]);
        }

        var random = new Random(11);
        points.AddRange(Enumerable.Range(0, 800).Select(_ => (random.NextDouble() * 16.0) - 8.0));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(points));
        return [.. points];
    }
}
