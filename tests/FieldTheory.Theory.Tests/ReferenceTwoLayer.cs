using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Theory.Tests;

/// <summary>
/// The two-layer forward integration of DESIGN.md 3.1 written as plainly as possible, site by site and group by group,
/// to check the ILGPU kernel against (replicate rules only: the estimate is the mean over groups).
/// </summary>
internal static class ReferenceTwoLayer
{
    public static (double[][] Delta, double[][] TestF) Solve(TwoLayerProblem problem, SiteRule rule, Func<double, double> phi, Func<double, double> dphi)
    {
        int q = problem.Points;
        int p = problem.Train;
        (double[] factor, int rank) = InputFactor.Of(problem.InputGram, q);
        var delta = new double[problem.Steps + 1][];
        var testF = new double[problem.Steps + 1][];
        for (int n = 0; n <= problem.Steps; n++)
        {
            delta[n] = new double[p];
            testF[n] = new double[q - p];
        }

        for (int g = 0; g < rule.Groups; g++)
        {
            int start = rule.GroupStart[g];
            int count = rule.GroupStart[g + 1] - start;
            var h = new double[count, q];
            var w = new double[count];
            for (int i = 0; i < count; i++)
            {
                for (int mu = 0; mu < q; mu++)
                {
                    for (int k = 0; k < rank; k++)
                    {
                        h[i, mu] += factor[(mu * rank) + k] * rule.Nodes[((start + i) * rule.Dimension) + k];
                    }
                }

                w[i] = rule.Nodes[((start + i) * rule.Dimension) + rank];
            }

            var f0 = new double[q];
            for (int n = 0; n <= problem.Steps; n++)
            {
                var f = new double[q];
                for (int i = 0; i < count; i++)
                {
                    for (int mu = 0; mu < q; mu++)
                    {
                        f[mu] += rule.Weights[start + i] * w[i] * phi(h[i, mu]) / problem.Gamma0;
                    }
                }

                if (n == 0)
                {
                    Array.Copy(f, f0, q);
                }

                var d = new double[p];
                for (int mu = 0; mu < q; mu++)
                {
                    double centered = problem.Centered ? f[mu] - f0[mu] : f[mu];
                    if (mu < p)
                    {
                        d[mu] = problem.Targets[mu] - centered;
                        delta[n][mu] += d[mu] / rule.Groups;
                    }
                    else
                    {
                        testF[n][mu - p] += centered / rule.Groups;
                    }
                }

                double c = problem.Eta * problem.Gamma0;
                for (int i = 0; i < count; i++)
                {
                    var newH = new double[q];
                    double dw = 0.0;
                    for (int a = 0; a < p; a++)
                    {
                        dw += d[a] * phi(h[i, a]);
                    }

                    for (int mu = 0; mu < q; mu++)
                    {
                        double field = 0.0;
                        for (int a = 0; a < p; a++)
                        {
                            field += problem.InputGram[(mu * q) + a] * d[a] * dphi(h[i, a]);
                        }

                        newH[mu] = h[i, mu] + (c * w[i] * field);
                    }

                    for (int mu = 0; mu < q; mu++)
                    {
                        h[i, mu] = newH[mu];
                    }

                    w[i] += c * dw;
                }
            }
        }

        return (delta, testF);
    }
}
