using FieldTheory.Compute;

namespace FieldTheory.Ensembles.Tests;

/// <summary><see cref="ILanes{TSelf}.SumEach"/>, the transposing reduction, against one <see cref="ILanes{TSelf}.Sum"/> per vector.</summary>
public sealed class LaneSumTests
{
    [Fact]
    public void SumEachEqualsSeparateSumsOnVectorLanes() => AssertSumEach<VectorLanes>();

    [Fact]
    public void SumEachEqualsSeparateSumsOnVector512Lanes() => AssertSumEach<Vector512Lanes>();

    private static void AssertSumEach<TLanes>()
        where TLanes : struct, ILanes<TLanes>
    {
        int lanes = TLanes.Count;
        var random = new Random(11);
        var vectors = new TLanes[lanes];
        for (int round = 0; round < 50; round++)
        {
            for (int i = 0; i < lanes; i++)
            {
                // Entries of mixed sign and scale, distinct in every lane, so a lane mix-up cannot cancel out.
                double[] values = [.. Enumerable.Range(0, lanes).Select(l => ((i * lanes) + l + 1) * Math.Pow(10, random.Next(-3, 4)) * (random.Next(2) == 0 ? -1 : 1))];
                vectors[i] = TLanes.Load(ref values[0], 0);
            }

            TLanes sums = TLanes.SumEach(vectors);
            for (int i = 0; i < lanes; i++)
            {
                double expected = vectors[i].Sum();
                double scale = Enumerable.Range(0, lanes).Sum(l => Math.Abs(vectors[i][l]));
                Assert.True(Math.Abs(sums[i] - expected) <= 1e-15 * scale, $"lane {i}: {sums[i]:R} vs {expected:R}");
            }
        }
    }
}
