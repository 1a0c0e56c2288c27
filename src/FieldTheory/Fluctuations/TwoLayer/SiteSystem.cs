using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// The independent sites of a two-layer network (DESIGN.md 3.1) as the fluctuation passes see them: the problem's
/// constants and, for every node z of a <see cref="SiteRule"/>, the initial condition h(0) = F z_{1..r} (F F^T = K^x
/// over training and test points), w(0) = z_{r+1}, with its integration weight.
/// </summary>
internal sealed class SiteSystem
{
    public SiteSystem(TwoLayerProblem problem, SiteRule rule, int kernelEvery = 1)
    {
        Problem = problem;
        Rule = rule;
        Layout = new ObservableLayout(problem.Points, problem.Train, problem.Steps, kernelEvery);
        int q = problem.Points;
        int p = problem.Train;
        Gram = problem.InputGram;
        GramToTrain = new double[q * p];
        for (int mu = 0; mu < q; mu++)
        {
            for (int a = 0; a < p; a++)
            {
                GramToTrain[(mu * p) + a] = problem.InputGram[(mu * q) + a];
            }
        }

        (InitialH, InitialW) = SiteLayout.InitialSites(problem, rule);
    }

    public TwoLayerProblem Problem { get; }

    public SiteRule Rule { get; }

    public ObservableLayout Layout { get; }

    /// <summary>K^x over all Q points, Q x Q.</summary>
    public double[] Gram { get; }

    /// <summary>K^x_{mu a} for all points mu and training points a, Q x P.</summary>
    public double[] GramToTrain { get; }

    /// <summary>h(0) of every node, [site][Q].</summary>
    public double[] InitialH { get; }

    /// <summary>w(0) of every node.</summary>
    public double[] InitialW { get; }

    /// <summary>eta gamma0, the scale of one site update.</summary>
    public double StepScale => Problem.Eta * Problem.Gamma0;
}
