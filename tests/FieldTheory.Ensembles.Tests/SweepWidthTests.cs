using FieldTheory.Compute;
using FieldTheory.Models;

namespace FieldTheory.Ensembles.Tests;

/// <summary>
/// The fused two-layer sweep at both SIMD widths on the same members: a process uses one width
/// (<see cref="Lanes.UseVector512"/>), so the other is only reached here. The two differ only in the order of the
/// per-lane partial sums, hence agree to rounding.
/// </summary>
public sealed class SweepWidthTests
{
    [Theory]
    [InlineData(512, 1, 1, 0)] // one scalar point: the register-sum path
    [InlineData(37, 1, 1, 0)] // padding lanes at both widths
    [InlineData(37, 3, 2, 2)] // the general path with test points
    public void VectorAndVector512LanesAgree(int width, int dimension, int train, int test)
    {
        StepRecord[] narrow = Trajectory<VectorLanes>(width, dimension, train, test);
        StepRecord[] wide = Trajectory<Vector512Lanes>(width, dimension, train, test);
        for (int s = 0; s < narrow.Length; s++)
        {
            AssertClose(narrow[s].Outputs, wide[s].Outputs, s);
            AssertClose(narrow[s].Feature[0], wide[s].Feature[0], s);
            AssertClose(narrow[s].Gradient[0], wide[s].Gradient[0], s);
        }
    }

    private static void AssertClose(double[] expected, double[] actual, int step)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-13 * Math.Max(1.0, Math.Abs(expected[i])), $"step {step}, entry {i}: {expected[i]:R} vs {actual[i]:R}");
        }
    }

    /// <summary>Two members, six steps from fixed random weights and inputs, errors y - f with y = 1.</summary>
    private static StepRecord[] Trajectory<TLanes>(int width, int dimension, int train, int test)
        where TLanes : struct, ILanes<TLanes>
    {
        const int members = 2, steps = 6;
        int all = train + test;
        var shape = new EnsembleShape(members, width, dimension, 1, train, all);
        int ld = (width + 7) / 8 * 8;
        var random = new Random(5);
        double[] x = [.. Enumerable.Range(0, all * dimension).Select(_ => random.NextDouble() - 0.5)];
        double[] w0 = new double[members * dimension * ld], readout = new double[members * ld];
        for (int m = 0; m < members; m++)
        {
            for (int i = 0; i < width; i++)
            {
                readout[(m * ld) + i] = random.NextDouble() - 0.5;
                for (int k = 0; k < dimension; k++)
                {
                    w0[(((m * dimension) + k) * ld) + i] = (2 * random.NextDouble()) - 1;
                }
            }
        }

        double[] phi = new double[members * all * ld], g = new double[members * train * ld], delta = new double[members * train];
        var scratch = new MemberScratch(shape, ld);
        var sweep = new TwoLayerSweep<GeneratedLanes<TwoLayerTanh.Activation>, TLanes>(shape, ld, 1.0, 0.5);
        var records = new StepRecord[steps];
        for (int s = 0; s < steps; s++)
        {
            records[s] = new StepRecord(shape);
            for (int m = 0; m < members; m++)
            {
                sweep.Run(m, x, w0, readout, phi, g, delta, scratch, s > 0, records[s]);
                for (int mu = 0; mu < train; mu++)
                {
                    delta[(m * train) + mu] = 1.0 - records[s].Outputs[(m * all) + mu];
                }
            }
        }

        return records;
    }
}
