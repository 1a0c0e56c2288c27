namespace FieldTheory.Results;

/// <summary>
/// Finite-width ensembles differ from the infinite-width theory by b/N + O(1/N^2) plus sampling noise. Given one
/// quantity measured at widths N and 2N, the Richardson extrapolation 2 x(2N) - x(N) estimates the infinite-width
/// value with standard error sqrt(4 SE(2N)^2 + SE(N)^2); <see cref="Compare"/> measures the theory's distance from it
/// in those standard errors (the theory's own integration error added in quadrature).
/// </summary>
internal static class WidthExtrapolation
{
    /// <summary>The extrapolated value, its standard error, and (extrapolated - theory) in standard errors.</summary>
    public static (double Extrapolated, double StdErr, double Z) Compare(
        double theory, double theoryError, double atN, double seN, double at2N, double se2N)
    {
        double extrapolated = (2 * at2N) - atN;
        double se = Math.Sqrt((4 * se2N * se2N) + (seN * seN) + (theoryError * theoryError));
        return (extrapolated, se, se > 0 ? (extrapolated - theory) / se : double.NaN);
    }

    /// <summary>
    /// N (x(N) - theory) at both widths should agree if the gap shrinks like 1/N: their difference in standard errors.
    /// </summary>
    public static double ScalingZ(double theory, double theoryError, double atN, double seN, double at2N, double se2N, int n)
    {
        double scaledN = n * (atN - theory);
        double scaled2N = 2.0 * n * (at2N - theory);
        double se = n * Math.Sqrt((seN * seN) + (4.0 * se2N * se2N) + (theoryError * theoryError));
        return se > 0 ? (scaledN - scaled2N) / se : double.NaN;
    }
}
