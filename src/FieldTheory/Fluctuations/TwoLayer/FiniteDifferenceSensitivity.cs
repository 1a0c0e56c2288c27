namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// Sensitivities D by central finite differences of the site average with common random numbers (DESIGN.md 4.6):
/// D[r, (a, m)] = (&lt;O_r&gt;(Delta + eps e_am) - &lt;O_r&gt;(Delta - eps e_am)) / (2 eps). Unlike pathwise tangents
/// this sees the sites whose pre-activation crosses a kink of a piecewise phi (where phi'' has a delta function), so
/// it includes the kink term; it is also the independent check of the tangents for smooth phi.
/// <para>
/// The step: an impulse eps in Delta_a(m) moves h by about eta gamma0 eps w K^x, so the kink term is resolved when
/// eta gamma0 eps is large enough for a band of sites (not a handful) to cross the kink, while the smooth part stays
/// linear to O((eta gamma0 eps)^2). <see cref="KinkShift"/> sets eta gamma0 eps.
/// </para>
/// </summary>
internal static class FiniteDifferenceSensitivity
{
    /// <summary>eta gamma0 eps for piecewise phi: a shift of h of 5% of a unit-variance pre-activation per unit w.</summary>
    public const double KinkShift = 0.05;

    /// <summary>Replaces <paramref name="moments"/>' Jacobian by finite differences with the kink step.</summary>
    public static void Replace<TActivation>(SiteSystem system, int first, int last, double[] delta, SiteMoments moments, CancellationToken ct)
        where TActivation : struct, IActivation
    {
        double[] jacobian = Jacobian<TActivation>(system, first, last, delta, KinkShift / system.StepScale, ct);
        Array.Copy(jacobian, moments.Jacobian, jacobian.Length);
    }

    /// <summary>D, R x C, by central differences with step <paramref name="step"/> in each Delta_a(m).</summary>
    public static double[] Jacobian<TActivation>(SiteSystem system, int first, int last, double[] delta, double step, CancellationToken ct)
        where TActivation : struct, IActivation
    {
        ObservableLayout layout = system.Layout;
        int columns = layout.Columns;
        var jacobian = new double[(long)layout.Rows * columns];
        var shifted = (double[])delta.Clone();
        for (int j = 0; j < columns - layout.Train; j++)
        {
            shifted[j] = delta[j] + step;
            double[] up = SiteAverage.Of<TActivation>(system, first, last, shifted, ct);
            shifted[j] = delta[j] - step;
            double[] down = SiteAverage.Of<TActivation>(system, first, last, shifted, ct);
            shifted[j] = delta[j];
            int startRow = layout.Row((j / layout.Train) + 1, 0);
            for (int r = startRow; r < layout.Rows; r++)
            {
                jacobian[((long)r * columns) + j] = (up[r] - down[r]) / (2.0 * step);
            }
        }

        return jacobian;
    }
}
