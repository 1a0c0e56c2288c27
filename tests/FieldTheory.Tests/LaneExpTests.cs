using FieldTheory.Compute;

namespace FieldTheory.Tests;

/// <summary>
/// <see cref="LaneExp"/>: the same bits at both lane widths, within an ulp of <see cref="Math.Exp"/> over the whole
/// range (subnormal results included), and the limits: overflow to infinity, underflow to zero, NaN.
/// </summary>
public sealed class LaneExpTests
{
    [Fact]
    public void BothWidthsGiveTheSameBitsWithinAnUlpOfMathExp()
    {
        double[] points = Points();
        double[] narrow = Evaluate<VectorLanes>(points);
        double[] wide = Evaluate<Vector512Lanes>(points);
        for (int i = 0; i < points.Length; i++)
        {
            double expected = Math.Exp(points[i]);
            string where = $"x = {points[i]:R}: 4 lanes {narrow[i]:R}, 8 lanes {wide[i]:R}, Math.Exp {expected:R}";
            Assert.True(BitConverter.DoubleToInt64Bits(narrow[i]) == BitConverter.DoubleToInt64Bits(wide[i]), where);
            if (double.IsNaN(expected))
            {
                Assert.True(double.IsNaN(narrow[i]), where);
            }
            else
            {
                long ulps = Math.Abs(BitConverter.DoubleToInt64Bits(narrow[i]) - BitConverter.DoubleToInt64Bits(expected));
                Assert.True(ulps <= 1, where + $": {ulps} ulps");
            }
        }
    }

    private static double[] Evaluate<TLanes>(double[] points)
        where TLanes : struct, ILanes<TLanes>
    {
        var values = new double[points.Length];
        for (int start = 0; start < points.Length; start += TLanes.Count)
        {
            LaneExp.Exp(TLanes.Load(ref points[start], 0)).Store(ref values[start], 0);
        }

        return values;
    }

    // The range, exp's limits and the neighbours of the reduction's switching points; a multiple of 8.
    private static double[] Points()
    {
        var points = new List<double>
        {
            0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 709.78, 709.79, 710.5,
            -708.39, -708.4, -720.0, -744.4, -745.13, -745.14, -746.5, 1e-300, -1e-20, 1e-10, 0.5 * Math.Log(2.0), -0.5 * Math.Log(2.0),
        };
        var random = new Random(17);
        points.AddRange(Enumerable.Range(0, 4000).Select(_ => (random.NextDouble() * 1460.0) - 748.0));
        points.AddRange(Enumerable.Range(0, 2000).Select(_ => (random.NextDouble() * 4.0) - 2.0));
        points.AddRange(Enumerable.Range(0, 100).Select(i => i * 0.5 * Math.Log(2.0)));
        while (points.Count % 8 != 0)
        {
            points.Add(random.NextDouble());
        }

        return [.. points];
    }
}
