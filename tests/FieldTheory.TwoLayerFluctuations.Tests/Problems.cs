using FieldTheory.Data;
using FieldTheory.Fluctuations.TwoLayer;
using FieldTheory.Models;
using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>Small problems shared by the tests.</summary>
internal static class Problems
{
    /// <summary>Two training points and one test point in D = 3, non-orthogonal, so every cross term of the site update is exercised.</summary>
    public static Dataset ThreePoints() => new(
        3,
        [1.0, 0.5, -0.3, -0.2, 1.1, 0.7],
        [0.8, -0.5],
        [0.4, -0.9, 1.2],
        [0.3]);

    public static TwoLayerProblem Problem(Dataset data, double gamma0, double eta, int steps, bool centered) =>
        new(data.InputGram(), data.Count, data.Y, gamma0, eta, steps, centered, RecordTwoTime: false);

    /// <summary>A system over antithetic Monte Carlo sites (any rule works for identities that hold site by site).</summary>
    public static SiteSystem System(TwoLayerProblem problem, int sites, ulong seed = 3)
    {
        (_, int rank) = InputFactor.Of(problem.InputGram, problem.Points);
        return new SiteSystem(problem, SiteRules.AntitheticMonteCarlo(sites, rank + 1, seed));
    }

    public static NetworkModel Tanh => BuiltInModels.Catalogue.Get("TwoLayerTanh");
}
