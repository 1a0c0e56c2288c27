using System.Reflection;
using FieldTheory.Experiments;

namespace FieldTheory.Tests.PublicApi;

/// <summary>
/// The FieldTheory package's public API is deliberate (docs/public-api.md): the experiment facade plus what generated
/// model code in a consumer's assembly references. Any change to it shows up here as a diff of the committed listing.
/// </summary>
public sealed class PublicApiTests
{
    private static readonly Assembly Library = typeof(ExperimentRunner).Assembly;

    [Fact]
    public void Public_api_matches_the_committed_listing()
    {
        ApiSnapshot.Verify(PublicApiListing.Describe(Library), "FieldTheory");
    }

    [Theory]
    [InlineData("FieldTheory.Ensembles")]
    [InlineData("FieldTheory.Theory")]
    [InlineData("FieldTheory.Fluctuations")]
    [InlineData("FieldTheory.Sweeps")]
    [InlineData("FieldTheory.Randomness")]
    public void Solver_internals_are_not_public(string namespacePrefix)
    {
        string[] exported = [.. Library.GetExportedTypes()
            .Where(t => t.Namespace is { } ns && (ns == namespacePrefix || ns.StartsWith(namespacePrefix + ".", StringComparison.Ordinal)))
            .Select(t => t.FullName!)];

        Assert.True(exported.Length == 0, $"Public types in {namespacePrefix}: {string.Join(", ", exported)}");
    }
}
