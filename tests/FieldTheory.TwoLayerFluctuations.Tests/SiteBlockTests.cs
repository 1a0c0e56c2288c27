using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.TwoLayer;
using FieldTheory.Models;
using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;
using Propagation = FieldTheory.Fluctuations.TwoLayer.TwoLayerFluctuations;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>
/// The SIMD site pass (<see cref="SensitivityPass"/>, <see cref="SiteBlock{TLanes}"/>, <see cref="CrossProducts{TLanes}"/>)
/// against the previous site-by-site pass (<see cref="ScalarSensitivityPass"/>, kept here as the reference), at both
/// vector widths, and the thinned kernel rows of theory.kernelFluctuationsEvery.
/// </summary>
public sealed class SiteBlockTests
{
    [Theory]
    [InlineData(false, 1, false)]
    [InlineData(true, 1, false)]
    [InlineData(false, 3, false)]
    [InlineData(true, 1, true)]
    public void BlockedPassEqualsTheSiteBySitePass(bool centered, int kernelEvery, bool simdActivation)
    {
        // 75 sites: not a multiple of either vector width nor of a cross-product chunk, so padding lanes are exercised.
        var problem = Problems.Problem(Problems.ThreePoints(), gamma0: 1.5, eta: 0.3, steps: 7, centered);
        (_, int rank) = InputFactor.Of(problem.InputGram, problem.Points);
        var system = new SiteSystem(problem, SiteRules.AntitheticMonteCarlo(150, rank + 1, 5), kernelEvery);
        int sites = 75;
        double[] delta = MeanTrajectory.Solve<TwoLayerTanh.Activation>(system, 0, sites, default);
        SiteMoments reference = ScalarSensitivityPass.Run<TwoLayerTanh.Activation>(system, 0, sites, delta, new SiteMoments?[SiteLanes.Count], default);
        SiteMoments narrow = SensitivityPass.Run<TwoLayerTanh.Activation, VectorLanes>(system, 0, sites, delta, new SensitivityLanes(), default, simdActivation);
        AssertClose(reference, narrow, system.Layout);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            SiteMoments wide = SensitivityPass.Run<TwoLayerTanh.Activation, Vector512Lanes>(system, 0, sites, delta, new SensitivityLanes(), default, simdActivation);
            AssertClose(reference, wide, system.Layout);
        }
    }

    [Fact]
    public void ThinnedKernelsLeaveEveryOtherSeriesUnchangedAndMarkUntrackedStepsNaN()
    {
        var data = new InlineData(3, [1.0, 0.5, -0.3, -0.2, 1.1, 0.7], [0.8, -0.5], [0.4, -0.9, 1.2], [0.3]);
        var experiment = new Experiment(new ModelReference("TwoLayerTanh", null), data, 1.0, 0.2, 10, false, false, 0, null, new TheorySpec(1024, IntegrationMethod.Qmc, 1, false, true, false));
        Dataset built = DataFactory.Build(data);
        FluctuationResult all = Propagation.Solve(experiment, Problems.Tanh, built, new FluctuationOptions(), null, default);
        FluctuationResult thin = Propagation.Solve(experiment, Problems.Tanh, built, new FluctuationOptions(KernelEvery: 4), null, default);
        for (int n = 0; n <= 10; n++)
        {
            Assert.Equal(all.Nvar.Delta[n], thin.Nvar.Delta[n]);
            Assert.Equal(all.Nvar.Loss[n], thin.Nvar.Loss[n]);
            Assert.Equal(all.Nvar.TestF![n], thin.Nvar.TestF![n]);
            bool tracked = n % 4 == 0 || n == 10;
            for (int mu = 0; mu < 2; mu++)
            {
                for (int nu = 0; nu < 2; nu++)
                {
                    if (tracked)
                    {
                        Assert.Equal(all.Nvar.Ntk[n][mu][nu], thin.Nvar.Ntk[n][mu][nu], 12);
                    }
                    else
                    {
                        Assert.True(double.IsNaN(thin.Nvar.Ntk[n][mu][nu]), $"N Var K at untracked step {n} must be NaN");
                        Assert.True(double.IsNaN(thin.Nvar.FeatureKernel![0][n][mu][nu]), $"N Var Phi at untracked step {n} must be NaN");
                    }
                }
            }
        }
    }

    [Fact]
    public void ParserReadsKernelFluctuationsEveryAndRejectsZero()
    {
        const string Template = """{ "model": "TwoLayerTanh", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 8, "theory": { "fluctuations": true, "kernelFluctuationsEvery": VALUE } }""";
        Assert.Equal(4, ExperimentParser.Parse(Template.Replace("VALUE", "4", StringComparison.Ordinal)).Theory!.KernelFluctuationsEvery);
        Assert.Equal(1, ExperimentParser.Parse(Template.Replace(", \"kernelFluctuationsEvery\": VALUE", string.Empty, StringComparison.Ordinal)).Theory!.KernelFluctuationsEvery);
        var error = Assert.Throws<ExperimentException>(() => ExperimentParser.Parse(Template.Replace("VALUE", "0", StringComparison.Ordinal)));
        Assert.Contains("kernelFluctuationsEvery", error.Message, StringComparison.Ordinal);
    }

    // The reference sums <O_r O_f,j> over every column; the pass only over the steps up to row r's (zero after).
    private static void AssertClose(SiteMoments expected, SiteMoments actual, ObservableLayout layout)
    {
        Check(expected.Mean, actual.Mean, "Mean");
        Check(expected.Second, actual.Second, "Second");
        Check(Through(expected.Cross, layout), actual.Cross, "Cross");
        Check(expected.Jacobian, actual.Jacobian, "Jacobian");
    }

    private static double[] Through(double[] cross, ObservableLayout layout)
    {
        var kept = new double[cross.Length];
        for (int r = 0; r < layout.Rows; r++)
        {
            Array.Copy(cross, r * layout.Columns, kept, r * layout.Columns, layout.ColumnsThrough[r]);
        }

        return kept;
    }

    // Only the summation order (lanes, chunks) and, with the SIMD tanh, a few ulps of phi differ: agreement to rounding.
    private static void Check(double[] expected, double[] actual, string name)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-12 * scale, $"{name}[{k}]: {expected[k]:R} vs {actual[k]:R}");
        }
    }
}
