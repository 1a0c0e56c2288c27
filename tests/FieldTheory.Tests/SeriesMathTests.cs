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
}
