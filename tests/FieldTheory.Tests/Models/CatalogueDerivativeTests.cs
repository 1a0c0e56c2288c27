using FieldTheory.Models;

namespace FieldTheory.Tests.Models;

/// <summary>
/// The generated derivatives of every catalogue model agree with finite differences of the generated lower
/// derivative at many points away from kinks, to 1e-8 relative to the derivative's scale.
/// </summary>
public sealed class CatalogueDerivativeTests
{
    private const double Step = 1e-2;
    private const double Tolerance = 1e-8;

    public static TheoryData<string> ModelNames() => [.. BuiltInModels.Catalogue.Models.Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void DerivativesMatchFiniteDifferences(string name)
    {
        NetworkModel model = BuiltInModels.Catalogue.Get(name);
        double[] points = SamplePoints(model.Info.Activation.Kinks);
        Func<double, double>[] orders =
        [
            h => model.Jet(h).Value,
            h => model.Jet(h).D1,
            h => model.Jet(h).D2,
            h => model.Jet(h).D3,
        ];

        for (int order = 1; order <= 3; order++)
        {
            Func<double, double> lower = orders[order - 1];
            Func<double, double> exact = orders[order];
            double scale = Math.Max(1e-3, points.Max(h => Math.Abs(exact(h))));
            foreach (double h in points)
            {
                double expected = exact(h);
                double numeric = FiniteDifferences.Derivative(lower, h, Step);
                double error = Math.Abs(numeric - expected);
                Assert.True(
                    error <= Tolerance * Math.Max(Math.Abs(expected), scale),
                    $"{name}: derivative {order} at h = {h}: generated {expected}, finite differences {numeric}, error {error:E2}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void SeparateEntryPointsAgreeWithTheFusedJet(string name)
    {
        NetworkModel model = BuiltInModels.Catalogue.Get(name);
        foreach (double h in SamplePoints([]))
        {
            Assert.Equal(model.Jet(h).Value, model.Phi(h));
        }
    }

    /// <summary>Points in [-4, 4] whose finite-difference stencil stays clear of every kink.</summary>
    private static double[] SamplePoints(IReadOnlyList<double> kinks)
    {
        double margin = (FiniteDifferences.Reach + 1) * Step;
        return Enumerable.Range(0, 47)
            .Select(i => -4.0 + (i * 0.1737))
            .Where(h => kinks.All(k => Math.Abs(h - k) > margin))
            .ToArray();
    }
}
