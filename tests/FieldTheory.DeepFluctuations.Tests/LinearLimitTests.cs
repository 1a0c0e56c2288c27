using FieldTheory.Fluctuations.DeepLinear;
using FieldTheory.Fluctuations.DeepNonlinear;
using FieldTheory.Theory.Deep;
using Xunit.Abstractions;

namespace FieldTheory.DeepFluctuations.Tests;

/// <summary>
/// With phi(h) = h the sampled propagator must reproduce the exact deep linear propagator (Wick's theorem, DESIGN.md
/// 4.5) within its Monte Carlo error, estimated from independent replicas with different seeds.
/// </summary>
public sealed class LinearLimitTests(ITestOutputHelper output)
{
    [Fact]
    public void LinearActivationReproducesTheDeepLinearPropagator() => Check(TestModels.Linear, 2);

    /// <summary>Three hidden layers: the middle layer's sites carry derivatives in both source families (DESIGN.md 4.5).</summary>
    [Fact]
    public void LinearActivationReproducesTheDeepLinearPropagatorWithThreeHiddenLayers() => Check(TestModels.DeepLinear, 3);

    /// <summary>Four hidden layers: two middle layers, coupled to each other by J (Q^2 with P^3).</summary>
    [FullFact]
    public void LinearActivationReproducesTheDeepLinearPropagatorWithFourHiddenLayers() => Check(TestModels.Linear4, 4);

    private void Check(NetworkModel model, int layers)
    {
        const double gamma0 = 1.0, eta = 0.1;
        const int steps = 4, replicas = 8;
        DeepLinearFluctuations exact = DeepLinearPropagator.Compute(layers, [1.0], [1.0], gamma0, eta, steps, centered: false);
        NonlinearSaddle saddle = LinearSaddle(exact.Saddle, layers);
        var samples = new List<DeepLinearFluctuations>();
        for (int r = 0; r < replicas; r++)
        {
            samples.Add(DeepNonlinearPropagator.Compute(model, saddle, exact.Saddle, new PropagatorSampling(20000, 4000, (ulong)(100 + r))).Fluctuations);
        }

        foreach ((string name, Func<DeepLinearFluctuations, double> read) in Entries(steps, layers))
        {
            double[] values = [.. samples.Select(read)];
            double mean = values.Average();
            double se = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (replicas - 1) / replicas);
            double expected = read(exact);
            output.WriteLine($"{name}: exact {expected:F5}  sampled {mean:F5} +- {se:F5}");
            // Student t with 7 degrees of freedom: |t| > 4.5 has probability 0.003 per entry.
            Assert.True(Math.Abs(mean - expected) <= 4.5 * se + 1e-9, $"{name}: sampled {mean:F5} +- {se:F5} vs exact {expected:F5}");
        }
    }

    internal static NonlinearSaddle LinearSaddle(DeepTrajectory trajectory, int layers)
    {
        double[] delta = [.. trajectory.Delta.Select(d => d[0])];
        var sites = DeepLinearSaddle.Build(layers, 1, trajectory.Steps, trajectory.Gamma0, trajectory.Eta, [1.0], delta).Sites;
        double eta = trajectory.Eta;
        var phi = new double[layers + 1][];
        var g = new double[layers + 2][];
        var a = new double[layers + 1][];
        var b = new double[layers + 1][];
        for (int l = 1; l <= layers; l++)
        {
            phi[l] = sites[l - 1].H;
            g[l] = sites[l - 1].G;
            if (l < layers)
            {
                a[l] = [.. sites[l - 1].A.Select(x => x / eta)];
                b[l] = [.. sites[l].BBelow.Select(x => x / eta)];
            }
        }

        return new NonlinearSaddle(layers, trajectory.Steps, trajectory.Gamma0, eta, 1.0, trajectory.Centered, delta, phi, g, a, b);
    }

    internal static IEnumerable<(string Name, Func<DeepLinearFluctuations, double> Read)> Entries(int steps, int layers)
    {
        for (int n = 0; n <= steps; n++)
        {
            int step = n;
            yield return ($"N Var Delta({n})", f => f.DeltaVariance(step));
            yield return ($"N Var K({n})", f => f.NtkVariance(step));
            for (int l = 1; l <= layers; l++)
            {
                int layer = l;
                yield return ($"N Var Phi^{l}({n},{n})", f => f.KernelVariance(KernelEntry.Feature(layer, step)));
                yield return ($"N Var G^{l}({n},{n})", f => f.KernelVariance(KernelEntry.Gradient(layer, step)));
            }
        }
    }
}
