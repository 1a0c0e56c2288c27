using System.Text.Json.Nodes;
using FieldTheory.Cli.Plots;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Results;
using FieldTheory.Sweeps;

namespace FieldTheory.Tests;

/// <summary>Sweeps run every point once across shards, resume without rerunning, and collect into one table.</summary>
public sealed class SweepRunnerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ftc-sweep-").FullName;
    private int _runs;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly JsonObject Experiment = JsonNode.Parse("""
        { "model": "TwoLayerTanh", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 4,
          "theory": { "sites": 64, "integration": "quadrature" } }
        """)!.AsObject();

    private SweepRunner Runner() => new(Experiment, null, _directory, (e, progress, ct) =>
    {
        _runs++;
        return ExperimentRunner.Run(e, BuiltInModels.Catalogue.Get(e.Model.Name!), progress, ct);
    });

    [Fact]
    public void ShardsRunEveryPointOnceAndAResumedSweepRunsNothingAgain()
    {
        IReadOnlyList<SweepPoint> points = SweepGrid.Points([GridAxis.Parse("gamma0=0.5,1,2"), GridAxis.Parse("eta=0.05,0.1")]);
        SweepRunner runner = Runner();

        foreach (string shard in new[] { "1/2", "2/2" })
        {
            foreach (SweepPoint point in SweepGrid.Shard(points, shard))
            {
                Assert.Equal(SweepPointStatus.Ran, runner.Run(point, null, CancellationToken.None));
            }
        }

        Assert.Equal(6, _runs);
        Assert.All(points, p => Assert.Equal(SweepPointStatus.AlreadyDone, runner.Run(p, null, CancellationToken.None)));
        Assert.Equal(6, _runs);
    }

    [Fact]
    public void CollectMergesResultsInGridOrderWithTheirParameters()
    {
        IReadOnlyList<SweepPoint> points = SweepGrid.Points([GridAxis.Parse("gamma0=0.5,2")]);
        SweepRunner runner = Runner();
        foreach (SweepPoint point in points.Reverse())
        {
            runner.Run(point, null, CancellationToken.None);
        }

        IReadOnlyList<SweepRow> rows = SweepCollector.Collect(_directory);

        Assert.Equal(["gamma0=0.5", "gamma0=2"], rows.Select(r => r.Name));
        Assert.Equal("2", rows[1].Parameters[0].Value);
        ExperimentResult result = ResultJson.Deserialize(File.ReadAllText(runner.ResultPath(points[1])));
        Assert.Equal(2.0, result.Gamma0);
        Assert.Equal(result.Theory!.Mean.Loss[^1], rows[1].Metrics["theoryFinalLoss"]);
        string[] csv = SweepCollector.ToCsv(rows).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("gamma0,ensembleFinalLoss", csv[0]);
    }

    [Fact]
    public void CollectPlotsEveryPointAndTheFinalLossAgainstTheFirstParameter()
    {
        IReadOnlyList<SweepPoint> points = SweepGrid.Points([GridAxis.Parse("gamma0=0.5,1,2"), GridAxis.Parse("eta=0.05,0.1")]);
        SweepRunner runner = Runner();
        foreach (SweepPoint point in points)
        {
            runner.Run(point, null, CancellationToken.None);
        }

        IReadOnlyList<string> files = SweepPlots.Write(SweepCollector.Collect(_directory), _directory);

        // Theory only (no ensemble section): no N Var K figure.
        Assert.Equal(["sweep-delta", "sweep-final-loss"], files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)).Select(Path.GetFileNameWithoutExtension));
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 1000, f));
        string delta = File.ReadAllText(Path.Combine(_directory, "sweep-delta.svg"));
        Assert.All(points, p => Assert.Contains($"{p.Name}: theory", delta));
        string loss = File.ReadAllText(Path.Combine(_directory, "sweep-final-loss.svg"));
        Assert.Contains("theory (eta=0.05)", loss);
        Assert.Contains("theory (eta=0.1)", loss);
        Assert.Contains("against gamma0", loss);
    }

    [Fact]
    public void CollectRefusesAFolderWithResultsOfTwoDifferentGrids()
    {
        SweepRunner runner = Runner();
        runner.Run(SweepGrid.Points([GridAxis.Parse("gamma0=1")])[0], null, CancellationToken.None);
        runner.Run(SweepGrid.Points([GridAxis.Parse("gamma0=2"), GridAxis.Parse("eta=0.05")])[0], null, CancellationToken.None);

        var error = Assert.Throws<ExperimentException>(() => SweepCollector.Collect(_directory));

        Assert.Equal("--collect", error.Field);
        Assert.Contains("different grids", error.Message);
    }

    [Fact]
    public void AHalfWrittenResultIsNotTakenAsDone()
    {
        SweepPoint point = SweepGrid.Points([GridAxis.Parse("gamma0=1")])[0];
        SweepRunner runner = Runner();
        File.WriteAllText(runner.ResultPath(point), "{ \"model\": \"TwoLay");

        Assert.Equal(SweepPointStatus.Ran, runner.Run(point, null, CancellationToken.None));
    }

    [Fact]
    public void InvalidPointsAreRejectedBeforeAnythingRuns()
    {
        IReadOnlyList<SweepPoint> points = SweepGrid.Points([GridAxis.Parse("gamma0=1,-1")]);

        var error = Assert.Throws<ExperimentException>(() => Runner().Validate(points));

        Assert.Equal("gamma0", error.Field);
        Assert.Equal(0, _runs);
    }
}
