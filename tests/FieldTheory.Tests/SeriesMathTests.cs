using FieldTheory.Results;

namespace FieldTheory.Tests;

public sealed class SeriesMathTests
{
    private static Series Constant(double v, bool withTest = true) => new(
        [[v, v]], [[v, v]], [[[v, v], [v, v]]], [v], withTest ? [[v]] : null);

    [Fact]
    public void DifferencesAreMeasuredInStandardErrors()
    {
        Series z = SeriesMath.InStandardErrors(Constant(3.0), Constant(0.5), Constant(2.0));

        Assert.Equal(2.0, z.F[0][1]);
        Assert.Equal(2.0, z.Ntk[0][1][0]);
        Assert.Equal(2.0, z.TestF![0][0]);
    }

    [Fact]
    public void ZeroStandardErrorGivesNaNAndMissingPartsStayMissing()
    {
        Series z = SeriesMath.InStandardErrors(Constant(3.0), Constant(0.0, withTest: false), Constant(2.0));

        Assert.True(double.IsNaN(z.Loss[0]));
        Assert.Null(z.TestF);
    }

    [Fact]
    public void ShapesMustMatch()
    {
        var longer = new Series([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]], [[[1.0]], [[1.0]]], [1.0, 2.0]);

        Assert.Throws<ArgumentException>(() => SeriesMath.Combine(Constant(1.0), longer, (a, b) => a + b));
    }

    [Fact]
    public void ComparisonsAddTheTheorysIntegrationErrorInQuadrature()
    {
        // Ensemble 3.0 +- 0.3, theory 2.0 +- 0.4: 1.0 / 0.5 = 2 standard errors; where the theory reports no error for a
        // series (here the test outputs), the ensemble's standard error alone.
        var ensemble = new EnsembleResult(64, 100, 1, "cpu", Constant(3.0), Constant(0.3), Constant(3.0), Constant(0.3));
        var theory = new TheoryResult("test", 1, Constant(2.0), IntegrationError: Constant(0.4, withTest: false));
        Comparison comparison = SeriesMath.Compare(ensemble, theory);
        Assert.Equal(2.0, comparison.MeanDifferenceInStdErr.Delta[0][0], 12);
        Assert.Equal(1.0 / 0.3, comparison.MeanDifferenceInStdErr.TestF![0][0], 12);

        Series exact = SeriesMath.Compare(ensemble, theory with { IntegrationError = null }).MeanDifferenceInStdErr;
        Assert.Equal(1.0 / 0.3, exact.Delta[0][0], 12);
        Assert.Null(SeriesMath.Compare(ensemble, theory).NvarDifferenceInStdErr);
    }
}
