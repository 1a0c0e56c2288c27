namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// The site average &lt;O_r&gt; of every observable row along a prescribed (not self-consistent) error trajectory
/// Delta: the map whose derivative is the sensitivity D (DESIGN.md 4.1). Every call replays the same sites, so
/// differences between calls use common random numbers.
/// </summary>
internal static class SiteAverage
{
    /// <summary>&lt;O_r&gt; over the sites [first, last) along <paramref name="delta"/> ([(T + 1) P]), R values.</summary>
    public static double[] Of<TActivation>(SiteSystem system, int first, int last, double[] delta, CancellationToken ct)
        where TActivation : struct, IActivation
    {
        ObservableLayout layout = system.Layout;
        return SiteLanes.Run(
            first,
            last,
            () => new double[layout.Rows],
            (from, to, sums) =>
            {
                var observables = new double[layout.Rows];
                var h = new double[layout.Points];
                var phi = new double[layout.Points];
                var d1 = new double[layout.Points];
                var phi0 = new double[layout.Points];
                for (int i = from; i < to; i++)
                {
                    Replay<TActivation>(system, i, delta, observables, h, phi, d1, phi0);
                    double weight = system.Rule.Weights[i];
                    for (int r = 0; r < observables.Length; r++)
                    {
                        sums[r] += weight * observables[r];
                    }
                }
            },
            (target, source) =>
            {
                for (int r = 0; r < target.Length; r++)
                {
                    target[r] += source[r];
                }
            },
            ct);
    }

    /// <summary>The observables of one site along <paramref name="delta"/>, into <paramref name="observables"/> (R).</summary>
    public static void Replay<TActivation>(SiteSystem system, int site, double[] delta, double[] observables, double[] h, double[] phi, double[] d1, double[] phi0)
        where TActivation : struct, IActivation
    {
        TActivation activation = default;
        ObservableLayout layout = system.Layout;
        int q = layout.Points;
        int p = layout.Train;
        double inverseGamma = 1.0 / system.Problem.Gamma0;
        bool centered = system.Problem.Centered;
        system.InitialH.AsSpan(site * q, q).CopyTo(h);
        double w = system.InitialW[site];
        double w0 = w;
        for (int n = 0; n <= layout.Steps; n++)
        {
            for (int mu = 0; mu < q; mu++)
            {
                ActivationJet jet = activation.Jet(h[mu]);
                phi[mu] = jet.Value;
                d1[mu] = jet.D1;
                if (n == 0)
                {
                    phi0[mu] = jet.Value;
                }
            }

            int row = layout.Row(n, 0);
            for (int mu = 0; mu < q; mu++)
            {
                observables[row + mu] = ((w * phi[mu]) - (centered ? w0 * phi0[mu] : 0.0)) * inverseGamma;
            }

            for (int k = 0; layout.HasKernels(n) && k < layout.Pairs; k++)
            {
                int mu = layout.PairFirst[k];
                int nu = layout.PairSecond[k];
                double phiPhi = phi[mu] * phi[nu];
                observables[row + layout.FeatureOffset + k] = phiPhi;
                observables[row + layout.NtkOffset + k] = phiPhi + (system.Gram[(mu * q) + nu] * w * w * d1[mu] * d1[nu]);
            }

            if (n < layout.Steps)
            {
                SiteUpdate.Advance(h, ref w, phi.AsSpan(0, p), d1.AsSpan(0, p), delta.AsSpan(n * p, p), system.GramToTrain, system.StepScale);
            }
        }
    }
}
