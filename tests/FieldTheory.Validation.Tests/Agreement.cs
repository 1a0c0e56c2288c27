namespace FieldTheory.Validation.Tests;

/// <summary>
/// Compares theory with ensembles at two widths N and 2N. A finite-width ensemble differs from the infinite-width
/// theory by b/N + O(1/N^2) plus sampling noise, so the Richardson extrapolation 2 x(2N) - x(N) estimates the
/// infinite-width value with standard error sqrt(4 SE(2N)^2 + SE(N)^2); the theory must lie within
/// <see cref="Sigmas"/> of it (plus its own integration error), and N (x(N) - theory) must be the same at both widths
/// within the same number of standard errors (the gap shrinks like 1/N).
/// </summary>
internal static class Agreement
{
    /// <summary>Standard errors allowed: with about ten correlated checks per test, false alarms stay below 1e-3.</summary>
    public const double Sigmas = 4.0;

    public static void AssertExtrapolatesToTheory(
        string what, double theory, double theoryError, double atN, double seN, double at2N, double se2N, int n)
    {
        double extrapolated = (2 * at2N) - atN;
        double se = Math.Sqrt((4 * se2N * se2N) + (seN * seN));
        double allowed = (Sigmas * se) + (Sigmas * theoryError);
        Assert.True(
            Math.Abs(extrapolated - theory) <= allowed,
            $"{what}: theory {theory:G6} (±{theoryError:G2}), ensembles N = {n}: {atN:G6} ± {seN:G2}, N = {2 * n}: {at2N:G6} ± {se2N:G2}; " +
            $"extrapolated {extrapolated:G6} ± {se:G2} differs by {Math.Abs(extrapolated - theory):G3} > {allowed:G3}");

        double scaledN = n * (atN - theory);
        double scaled2N = 2 * n * (at2N - theory);
        double scaledSe = Math.Sqrt((n * n * seN * seN) + (4.0 * n * n * se2N * se2N) + (9.0 * n * n * theoryError * theoryError));
        Assert.True(
            Math.Abs(scaledN - scaled2N) <= Sigmas * scaledSe,
            $"{what}: N (x_N - theory) = {scaledN:G4} at N = {n} but {scaled2N:G4} at N = {2 * n} (± {scaledSe:G2}): the gap does not shrink like 1/N");
    }
}
