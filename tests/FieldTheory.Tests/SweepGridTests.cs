using System.Text.Json.Nodes;
using FieldTheory.Experiments;
using FieldTheory.Sweeps;

namespace FieldTheory.Tests;

public sealed class SweepGridTests
{
    private static readonly GridAxis[] Axes = [GridAxis.Parse("gamma0=0.5,1,2"), GridAxis.Parse("ensemble.width=128,512")];

    [Fact]
    public void PointsAreTheCartesianProductInAFixedOrder()
    {
        IReadOnlyList<SweepPoint> points = SweepGrid.Points(Axes);

        Assert.Equal(6, points.Count);
        Assert.Equal(
            ["gamma0=0.5_ensemble.width=128", "gamma0=0.5_ensemble.width=512", "gamma0=1_ensemble.width=128",
             "gamma0=1_ensemble.width=512", "gamma0=2_ensemble.width=128", "gamma0=2_ensemble.width=512"],
            points.Select(p => p.Name));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public void ShardsCoverEveryPointExactlyOnce(int shards)
    {
        IReadOnlyList<SweepPoint> points = SweepGrid.Points(Axes);

        int[] covered = [.. Enumerable.Range(1, shards).SelectMany(i => SweepGrid.Shard(points, $"{i}/{shards}")).Select(p => p.Index).Order()];

        Assert.Equal(Enumerable.Range(0, points.Count), covered);
    }

    [Fact]
    public void ApplyWritesValuesAtTheirPathsWithoutTouchingTheOriginal()
    {
        var experiment = JsonNode.Parse("""{ "gamma0": 1, "ensemble": { "width": 64, "members": 10 } }""")!.AsObject();
        SweepPoint point = SweepGrid.Points(Axes)[5];

        JsonObject applied = point.ApplyTo(experiment);

        Assert.Equal(2.0, applied["gamma0"]!.GetValue<double>());
        Assert.Equal(512.0, applied["ensemble"]!["width"]!.GetValue<double>());
        Assert.Equal(10, applied["ensemble"]!["members"]!.GetValue<int>());
        Assert.Equal(64, experiment["ensemble"]!["width"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("gamma0")]
    [InlineData("=1,2")]
    [InlineData("gamma0=1,,2")]
    [InlineData("a..b=1")]
    public void MalformedGridIsAClearError(string text)
    {
        var error = Assert.Throws<ExperimentException>(() => GridAxis.Parse(text));

        Assert.Equal("--grid", error.Field);
    }

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("1-4")]
    public void MalformedShardIsAClearError(string shard)
    {
        Assert.Equal("--shard", Assert.Throws<ExperimentException>(() => SweepGrid.Shard(SweepGrid.Points(Axes), shard)).Field);
    }
}
