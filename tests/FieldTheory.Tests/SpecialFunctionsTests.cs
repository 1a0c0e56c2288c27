namespace FieldTheory.Tests;

public sealed class SpecialFunctionsTests
{
    // Reference values from an independent implementation (C's erf/erfc through Python's math module).
    [Theory]
    [InlineData(0.1, 0.1124629160182849, 0.8875370839817152)]
    [InlineData(0.5, 0.5204998778130465, 0.4795001221869535)]
    [InlineData(1.0, 0.8427007929497149, 0.15729920705028513)]
    [InlineData(2.0, 0.9953222650189527, 0.004677734981047265)]
    [InlineData(2.49, 0.9995707121322661, 0.000429287867733913)]
    [InlineData(2.5, 0.999593047982555, 0.0004069520174449589)]
    [InlineData(3.0, 0.9999779095030014, 2.2090496998585438e-05)]
    [InlineData(4.0, 0.9999999845827421, 1.541725790028002e-08)]
    [InlineData(5.0, 0.9999999999984626, 1.5374597944280351e-12)]
    [InlineData(6.0, 1.0, 2.1519736712498916e-17)]
    public void ErfAndErfcMatchReferenceValues(double x, double erf, double erfc) =>
        AssertErfAndErfc(x, erf, erfc, erfTolerance: 1e-15, erfcTolerance: 1e-15, negatedErfcTolerance: 1e-15);

    // The continued-fraction tail, against mpmath (30 digits): its error is that of exp(-x^2), a few 1e-14 at x = 26.
    [Theory]
    [InlineData(2.75, 0.00010062192211963684)]
    [InlineData(3.5, 7.4309837234141275e-7)]
    [InlineData(8.0, 1.1224297172982927e-29)]
    [InlineData(15.0, 7.2129941724512067e-100)]
    [InlineData(26.0, 5.6631924088561428e-296)]
    public void ErfcTailMatchesHighPrecisionValues(double x, double erfc) =>
        AssertClose(erfc, SpecialFunctions.Erfc(x), 1e-13);

    // Both sides of every switch between the Taylor series, the fitted polynomials and the saturation, against mpmath
    // (30 digits): erf and erfc within a few ulps.
    [Theory]
    [InlineData(0.49999999999999994, 0.52049987781304649, 0.47950012218695351)]
    [InlineData(0.5, 0.52049987781304654, 0.47950012218695346)]
    [InlineData(1.4999999999999998, 0.9661051464753107, 0.033894853524689299)]
    [InlineData(1.5, 0.96610514647531073, 0.033894853524689273)]
    [InlineData(2.5, 0.99959304798255504, 0.00040695201744495894)]
    [InlineData(3.4999999999999996, 0.99999925690162766, 7.4309837234141514e-7)]
    [InlineData(4.5, 0.99999999980338396, 1.9661604415428875e-10)]
    [InlineData(5.5, 0.99999999999999264, 7.3578479179743981e-15)]
    [InlineData(6.499999999999999, 1.0, 3.8421483271206923e-20)]
    public void ErfAndErfcAreAccurateAcrossTheirPieces(double x, double erf, double erfc) =>
        AssertErfAndErfc(x, erf, erfc, erfTolerance: 5e-16, erfcTolerance: 1e-15, negatedErfcTolerance: 5e-16);

    [Fact]
    public void ErfIsOddAndSaturates()
    {
        Assert.Equal(0.0, SpecialFunctions.Erf(0.0));
        Assert.Equal(1.0, SpecialFunctions.Erf(40.0));
        Assert.Equal(-1.0, SpecialFunctions.Erf(double.NegativeInfinity));
        Assert.Equal(0.0, SpecialFunctions.Erfc(40.0));
        Assert.True(double.IsNaN(SpecialFunctions.Erf(double.NaN)));
    }

    // erf at x and -x, erfc at x and -x (2 - erfc), each within its relative tolerance.
    private static void AssertErfAndErfc(double x, double erf, double erfc, double erfTolerance, double erfcTolerance, double negatedErfcTolerance)
    {
        AssertClose(erf, SpecialFunctions.Erf(x), erfTolerance);
        AssertClose(-erf, SpecialFunctions.Erf(-x), erfTolerance);
        AssertClose(erfc, SpecialFunctions.Erfc(x), erfcTolerance);
        AssertClose(2.0 - erfc, SpecialFunctions.Erfc(-x), negatedErfcTolerance);
    }

    private static void AssertClose(double expected, double actual, double relative) =>
        Assert.True(
            Math.Abs(expected - actual) <= relative * Math.Max(Math.Abs(expected), 1e-300),
            $"expected {expected:R}, got {actual:R}");
}
