using FieldTheory.Randomness;

namespace FieldTheory.Tests;

public sealed class RandomStreamTests
{
    [Fact]
    public void PhiloxMatchesTheRandom123KnownAnswer()
    {
        // Known-answer test philox4x32_10 from Random123's kat_vectors: counter = key = all 0xFFFFFFFF... uses
        // (ctr = {0,0,0,0}, key = {0,0}) -> {6627e8d5, e169c58d, bc57ac4c, 9b00dbd8}.
        (uint a, uint b, uint c, uint d) = Philox.Block(0, 0, 0, 0, 0, 0);

        Assert.Equal((0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u), (a, b, c, d));
    }

    [Fact]
    public void NormalsHaveUnitVarianceAndAreIndependentOfOrder()
    {
        var rng = new RandomStream(42);
        const int n = 200_000;
        double[] x = [.. Enumerable.Range(0, n).Select(i => rng.Normal(StreamId.Of(1, 2, 3), (ulong)i))];
        double mean = x.Average();
        double variance = x.Select(v => (v - mean) * (v - mean)).Sum() / (n - 1);
        double fourth = x.Select(v => Math.Pow(v - mean, 4)).Average();

        Assert.InRange(mean, -4 / Math.Sqrt(n), 4 / Math.Sqrt(n));
        Assert.InRange(variance, 1 - (4 * Math.Sqrt(2.0 / n)), 1 + (4 * Math.Sqrt(2.0 / n)));
        Assert.InRange(fourth, 3 - (4 * Math.Sqrt(96.0 / n)), 3 + (4 * Math.Sqrt(96.0 / n)));
        Assert.Equal(x[12345], new RandomStream(42).Normal(StreamId.Of(1, 2, 3), 12345));
    }

    [Fact]
    public void StreamsAreDistinct()
    {
        var rng = new RandomStream(7);

        Assert.NotEqual(rng.Normal(StreamId.Of(0, 1, 0), 0), rng.Normal(StreamId.Of(1, 0, 0), 0));
        Assert.NotEqual(rng.Uniform(StreamId.Of(0, 0, 1), 5), rng.Uniform(StreamId.Of(0, 0, 2), 5));
    }
}
