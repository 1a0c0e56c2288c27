using FieldTheory.Fluctuations.TwoLayer;
using FieldTheory.Models;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>
/// The forward-mode tangents against central finite differences of the site average with common random numbers
/// (DESIGN.md 4.6): first order (the sensitivity D of every observable) and second order (the mean shift's
/// directional curvatures). For a smooth phi both are derivatives of the same deterministic function of Delta, so
/// they agree to the finite-difference truncation error O((eta gamma0 eps)^2) and rounding.
/// </summary>
public sealed class TangentTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FirstOrderTangentsEqualFiniteDifferences(bool centered)
    {
        var problem = Problems.Problem(Problems.ThreePoints(), gamma0: 1.3, eta: 0.2, steps: 8, centered);
        SiteSystem system = Problems.System(problem, 512);
        int sites = system.Rule.GroupStart[1];
        double[] delta = MeanTrajectory.Solve<TwoLayerTanh.Activation>(system, 0, sites, default);
        SiteMoments moments = SensitivityPass.Run<TwoLayerTanh.Activation>(system, 0, sites, delta, new SensitivityLanes(), default);
        double[] fd = FiniteDifferenceSensitivity.Jacobian<TwoLayerTanh.Activation>(system, 0, sites, delta, 1e-4, default);
        double scale = moments.Jacobian.Max(Math.Abs);
        Assert.True(scale > 1e-3, "the sensitivities are not trivially zero");
        ObservableLayout layout = system.Layout;
        for (int r = 0; r < layout.Rows; r++)
        {
            for (int j = 0; j < layout.Columns; j++)
            {
                double tangent = moments.Jacobian[(r * layout.Columns) + j];
                double difference = fd[(r * layout.Columns) + j];
                Assert.True(Math.Abs(tangent - difference) <= 1e-7 * scale, $"row {r}, column {j}: tangent {tangent:G10}, finite difference {difference:G10}");
                if (j / layout.Train >= layout.StepOfRow(r))
                {
                    Assert.Equal(0.0, tangent);
                }
            }
        }
    }

    [Fact]
    public void SecondOrderTangentsEqualFiniteDifferences()
    {
        var problem = Problems.Problem(Problems.ThreePoints(), gamma0: 1.3, eta: 0.2, steps: 8, centered: false);
        SiteSystem system = Problems.System(problem, 64);
        ObservableLayout layout = system.Layout;
        int sites = system.Rule.GroupStart[1];
        double[] delta = MeanTrajectory.Solve<TwoLayerTanh.Activation>(system, 0, sites, default);
        var random = new Random(5);
        double[] v = [.. Enumerable.Range(0, layout.Columns).Select(_ => random.NextDouble() - 0.5)];
        double[] u = [.. Enumerable.Range(0, layout.Columns).Select(_ => random.NextDouble() - 0.5)];
        double[] directions = [.. v, .. u];
        var walker = new SecondOrderWalker<TwoLayerTanh.Activation>(system, 2);
        var second = new double[layout.Rows];
        var first = new double[layout.Rows];
        for (int i = 0; i < sites; i++)
        {
            walker.Tangents(i, delta, directions);
            for (int r = 0; r < layout.Rows; r++)
            {
                second[r] += system.Rule.Weights[i] * walker.SecondSum[r];
                first[r] += system.Rule.Weights[i] * walker.LastFirst[r];
            }
        }

        const double Eps = 1e-3;
        double[] At(double[] direction, double s) =>
            SiteAverage.Of<TwoLayerTanh.Activation>(system, 0, sites, [.. delta.Select((d, j) => d + (s * direction[j]))], default);
        double[] center = At(v, 0.0);
        double[] up = At(v, Eps);
        double[] down = At(v, -Eps);
        double[] upU = At(u, Eps);
        double[] downU = At(u, -Eps);
        double secondScale = second.Max(Math.Abs);
        double firstScale = first.Max(Math.Abs);
        Assert.True(secondScale > 1e-3 && firstScale > 1e-3, "the derivatives are not trivially zero");
        for (int r = 0; r < layout.Rows; r++)
        {
            double fdSecond = (up[r] - (2 * center[r]) + down[r]) / (Eps * Eps);
            double fdFirst = (upU[r] - downU[r]) / (2 * Eps);
            Assert.True(Math.Abs(second[r] - fdSecond) <= 1e-5 * secondScale, $"row {r}: second-order tangent {second[r]:G10}, finite difference {fdSecond:G10}");
            Assert.True(Math.Abs(first[r] - fdFirst) <= 1e-6 * firstScale, $"row {r}: first-order tangent {first[r]:G10}, finite difference {fdFirst:G10}");
        }
    }
}
