namespace FieldTheory.Convolutions;

/// <summary>A number with its standard error.</summary>
/// <param name="Value">The estimate.</param>
/// <param name="StdErr">Its standard error.</param>
public readonly record struct Estimate(double Value, double StdErr)
{
    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"{Value:G4} +- {StdErr:G2}");
}

/// <summary>
/// The weighted least-squares fit value(N) = A + B / N with weights 1 / SE^2: A is the infinite-width extrapolation.
/// Standard errors from the inverse of the weighted normal matrix; <see cref="ChiSquared"/> with
/// <see cref="DegreesOfFreedom"/> = (number of widths - 2) says whether a + b/N describes the points within their errors.
/// </summary>
/// <param name="A">Intercept: the value at infinite width.</param>
/// <param name="B">Slope in 1/N.</param>
/// <param name="ChiSquared">Sum of squared standardized residuals.</param>
/// <param name="DegreesOfFreedom">Widths minus 2.</param>
public sealed record InverseWidthFit(Estimate A, Estimate B, double ChiSquared, int DegreesOfFreedom)
{
    /// <summary>Fits <paramref name="values"/> at <paramref name="widths"/> (at least two widths, positive errors).</summary>
    internal static InverseWidthFit Fit(IReadOnlyList<int> widths, IReadOnlyList<Estimate> values)
    {
        if (widths.Count < 2 || widths.Count != values.Count)
        {
            throw new ArgumentException("The fit needs one value per width and at least two widths.", nameof(values));
        }

        double s = 0, sx = 0, sxx = 0, sy = 0, sxy = 0;
        for (int i = 0; i < widths.Count; i++)
        {
            double w = 1.0 / Math.Max(values[i].StdErr * values[i].StdErr, 1e-300);
            double x = 1.0 / widths[i];
            s += w;
            sx += w * x;
            sxx += w * x * x;
            sy += w * values[i].Value;
            sxy += w * x * values[i].Value;
        }

        double det = (s * sxx) - (sx * sx);
        double a = ((sxx * sy) - (sx * sxy)) / det;
        double b = ((s * sxy) - (sx * sy)) / det;
        double chi2 = 0;
        for (int i = 0; i < widths.Count; i++)
        {
            double r = (values[i].Value - (a + (b / widths[i]))) / values[i].StdErr;
            chi2 += r * r;
        }

        return new InverseWidthFit(new Estimate(a, Math.Sqrt(sxx / det)), new Estimate(b, Math.Sqrt(s / det)), chi2, widths.Count - 2);
    }
}
