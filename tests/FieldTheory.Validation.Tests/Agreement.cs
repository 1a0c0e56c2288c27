using FieldTheory.Results;

namespace FieldTheory.Validation.Tests;

/// <summary>
/// Theory against ensembles at widths N and 2N (see <see cref="WidthExtrapolation"/>): the theory must lie within
/// <see cref="Sigmas"/> standard errors of the Richardson extrapolation to infinite width, and N (x(N) - theory) must be
/// the same at both widths within as many standard errors (the gap shrinks like 1/N).
/// </summary>
internal static class Agreement
{
    /// <summary>Standard errors allowed: with about ten correlated checks per test, false alarms stay below 1e-3.</summary>
    public const double Sigmas = 4.0;

    public static void AssertExtrapolatesToTheory(
        string what, double theory, double theoryError, double atN, double seN, double at2N, double se2N, int n)
    {
        (double extrapolated, double se, double z) = WidthExtrapolation.Compare(theory, theoryError, atN, seN, at2N, se2N);
        Assert.True(
            Math.Abs(z) <= Sigmas,
            $"{what}: theory {theory:G6} (±{theoryError:G2}), ensembles N = {n}: {atN:G6} ± {seN:G2}, N = {2 * n}: {at2N:G6} ± {se2N:G2}; " +
            $"extrapolated {extrapolated:G6} ± {se:G2} is {z:F1} standard errors away");

        double scaling = WidthExtrapolation.ScalingZ(theory, theoryError, atN, seN, at2N, se2N, n);
        Assert.True(
            Math.Abs(scaling) <= Sigmas,
            $"{what}: N (x_N - theory) differs between N = {n} and {2 * n} by {scaling:F1} standard errors: the gap does not shrink like 1/N");
    }
}
