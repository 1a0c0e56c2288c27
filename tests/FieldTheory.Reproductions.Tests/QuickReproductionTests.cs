using FieldTheory.Reproductions;

namespace FieldTheory.Reproductions.Tests;

/// <summary>
/// Every reproduction's --quick run is a test of its claim: each numerical check in its report must hold, and it must
/// write its report, figures (PNG and SVG) and the numbers behind them.
/// </summary>
public sealed class QuickReproductionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ftc-reproduce-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string> Names() => [.. ReproductionCatalogue.All.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void QuickRunChecksItsClaim(string name)
    {
        Reproduction reproduction = ReproductionCatalogue.Find(name)!;

        ReproductionReport report = reproduction.Run(new ReproductionOptions(Quick: true, _directory), null, CancellationToken.None);

        Assert.NotEmpty(report.Checks);
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Contains(report.Files, f => f.EndsWith("report.md", StringComparison.Ordinal));
        Assert.Contains(report.Files, f => f.EndsWith(".png", StringComparison.Ordinal));
        Assert.Contains(report.Files, f => f.EndsWith(".svg", StringComparison.Ordinal));
        Assert.Contains(report.Files, f => f.EndsWith(".csv", StringComparison.Ordinal));
        Assert.All(report.Files, f => Assert.True(new FileInfo(f).Length > 0, f));
        Assert.Contains("## Checks", File.ReadAllText(Path.Combine(_directory, "report.md")));
    }

    [Fact]
    public void NamesAreUniqueAndEveryEntryDescribesItself()
    {
        Assert.Equal(ReproductionCatalogue.All.Count, ReproductionCatalogue.All.Select(r => r.Name).Distinct().Count());
        Assert.All(ReproductionCatalogue.All, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Summary));
            Assert.False(string.IsNullOrWhiteSpace(r.Claim));
            Assert.True(r.QuickTime < r.FullTime);
        });
    }
}
