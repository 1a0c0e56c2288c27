namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>The primal site update of DESIGN.md 3.1, shared by every pass so that all of them replay the same path.</summary>
internal static class SiteUpdate
{
    /// <summary>
    /// One step with error Delta(n): h_mu += c w sum_a K^x_{mu a} Delta_a phi'(h_a), w += c sum_a Delta_a phi(h_a),
    /// both with the old (h, w); <paramref name="phi"/> and <paramref name="phiPrime"/> are at the training points.
    /// </summary>
    public static void Advance(Span<double> h, ref double w, ReadOnlySpan<double> phi, ReadOnlySpan<double> phiPrime, ReadOnlySpan<double> delta, double[] gramToTrain, double c)
    {
        int p = delta.Length;
        double dw = 0.0;
        for (int a = 0; a < p; a++)
        {
            dw += delta[a] * phi[a];
        }

        for (int mu = 0; mu < h.Length; mu++)
        {
            double field = 0.0;
            for (int a = 0; a < p; a++)
            {
                field += gramToTrain[(mu * p) + a] * delta[a] * phiPrime[a];
            }

            h[mu] += c * w * field;
        }

        w += c * dw;
    }
}
