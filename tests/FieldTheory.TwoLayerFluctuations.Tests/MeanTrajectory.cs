using FieldTheory.Fluctuations.TwoLayer;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>
/// The infinite-width error trajectory Delta_a(n), n = 0..T, of any range of sites (DESIGN.md 3.1), marched site by site
/// with the generated activation: the tests' saddle for site ranges that are not whole groups of a rule (the solver
/// takes every group's Delta from <see cref="FieldTheory.Theory.TwoLayer.TwoLayerCpuSolver{TActivation}"/>).
/// </summary>
internal static class MeanTrajectory
{
    /// <summary>Delta over n = 0..T, [(T + 1) P], for the sites [first, last) of <paramref name="system"/>.</summary>
    public static double[] Solve<TActivation>(SiteSystem system, int first, int last, CancellationToken ct)
        where TActivation : struct, IActivation
    {
        TActivation activation = default;
        var problem = system.Problem;
        int q = problem.Points;
        int p = problem.Train;
        int count = last - first;
        var h = new double[(long)count * q];
        Array.Copy(system.InitialH, (long)first * q, h, 0, (long)count * q);
        var w = new double[count];
        Array.Copy(system.InitialW, first, w, 0, count);
        var start = new double[count * p];
        var features = new double[count * 2 * p];
        var delta = new double[(problem.Steps + 1) * p];
        double c = system.StepScale;
        for (int n = 0; n <= problem.Steps; n++)
        {
            ct.ThrowIfCancellationRequested();
            int step = n;
            double[] f = SiteLanes.Run(
                first,
                last,
                () => new double[p],
                (from, to, sums) =>
                {
                    for (int i = from; i < to; i++)
                    {
                        int s = i - first;
                        Span<double> hs = h.AsSpan(s * q, q);
                        Span<double> fs = features.AsSpan(s * 2 * p, 2 * p);
                        if (step > 0)
                        {
                            ReadOnlySpan<double> previous = delta.AsSpan((step - 1) * p, p);
                            SiteUpdate.Advance(hs, ref w[s], fs[..p], fs[p..], previous, system.GramToTrain, c);
                        }

                        double weight = system.Rule.Weights[i];
                        for (int a = 0; a < p; a++)
                        {
                            ActivationJet jet = activation.Jet(hs[a]);
                            fs[a] = jet.Value;
                            fs[p + a] = jet.D1;
                            double output = w[s] * jet.Value;
                            if (step == 0)
                            {
                                start[(s * p) + a] = output;
                            }

                            sums[a] += weight * (problem.Centered ? output - start[(s * p) + a] : output);
                        }
                    }
                },
                Add,
                ct);
            for (int a = 0; a < p; a++)
            {
                delta[(n * p) + a] = problem.Targets[a] - (f[a] / problem.Gamma0);
            }
        }

        return delta;
    }

    private static void Add(double[] target, double[] source)
    {
        for (int k = 0; k < target.Length; k++)
        {
            target[k] += source[k];
        }
    }
}
