using FieldTheory.Compute;
using System.Runtime.Intrinsics;

namespace FieldTheory.Ensembles.Tests;

/// <summary>The SIMD tanh of the CPU paths against <see cref="Math.Tanh"/>, at both lane widths.</summary>
public sealed class LaneTanhTests
{
    [Fact]
    public void MatchesMathTanhToAFewUlpsOnVectorLanes() => AssertAccurate<VectorLanes>();

    [Fact]
    public void MatchesMathTanhToAFewUlpsOnVector512Lanes()
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            return; // Vector512 would run in software: the same arithmetic, nothing new to check.
        }

        AssertAccurate<Vector512Lanes>();
    }

    [Fact]
    public void BothWidthsGiveTheSameBits()
    {
        double[] points = Points();
        for (int start = 0; start + Vector512Lanes.Count <= points.Length; start += Vector512Lanes.Count)
        {
            Vector512Lanes wide = LaneTanh.Tanh(Vector512Lanes.Load(ref points[start], 0));
            for (int half = 0; half < Vector512Lanes.Count; half += VectorLanes.Count)
            {
                VectorLanes narrow = LaneTanh.Tanh(VectorLanes.Load(ref points[start + half], 0));
                for (int lane = 0; lane < VectorLanes.Count; lane++)
                {
                    Assert.Equal(narrow[lane], wide[half + lane]);
                }
            }
        }
    }

    [Fact]
    public void KeepsNaNAndSaturatesAtInfinityOnBothWidths()
    {
        AssertSpecialValues<VectorLanes>();
        AssertSpecialValues<Vector512Lanes>();
    }

    private static void AssertSpecialValues<TLanes>()
        where TLanes : struct, ILanes<TLanes>
    {
        double[] special = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, 710.0, -710.0, double.NaN];
        double[] points = [.. Enumerable.Range(0, TLanes.Count).Select(i => special[i % special.Length])];
        TLanes t = LaneTanh.Tanh(TLanes.Load(ref points[0], 0));
        for (int lane = 0; lane < TLanes.Count; lane++)
        {
            double x = points[lane];
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Tanh(x)), BitConverter.DoubleToInt64Bits(t[lane]));
        }
    }

    private static void AssertAccurate<TLanes>()
        where TLanes : struct, ILanes<TLanes>
    {
        double[] points = Points();
        double worst = 0.0;
        for (int start = 0; start + TLanes.Count <= points.Length; start += TLanes.Count)
        {
            TLanes t = LaneTanh.Tanh(TLanes.Load(ref points[start], 0));
            for (int lane = 0; lane < TLanes.Count; lane++)
            {
                double x = points[start + lane], expected = Math.Tanh(x);
                Assert.True(t[lane] == expected || Math.Sign(t[lane]) == Math.Sign(expected), $"sign at {x:R}");
                worst = Math.Max(worst, Math.Abs(t[lane] - expected) / Math.Max(double.Epsilon, Math.Abs(expected)));
            }
        }

        Assert.True(worst <= 4 * Math.Pow(2, -52), $"largest relative error {worst:R}");
    }

    /// <summary>Tiny, small (the k = 0 branch), medium, large and saturated arguments of both signs, plus zero.</summary>
    private static double[] Points() =>
        [.. Enumerable.Range(-4000, 8001).Select(i => i / 100.0)
            .Concat(Enumerable.Range(-300, 301).Select(i => Math.Pow(10.0, i / 10.0)))
            .SelectMany(x => new[] { x, -x })];
}
