using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Results;
using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Theory.Tests;

public sealed class TwoLayerTests(DeviceFixture fixture) : IClassFixture<DeviceFixture>
{
    private const string Scalar = """{ "kind": "scalar", "x": 1, "y": 1 }""";
    private const string TwoPoints = """{ "kind": "inline", "x": [[1, 0], [0.6, 0.8]], "y": [1, -0.5], "testX": [[0.8, -0.6]] }""";

    [Theory]
    [InlineData("kernel")]
    [InlineData("kernel-site-parallel")]
    [InlineData("cpu-simd")]
    [InlineData("cpu-simd-vector-lanes")]
    [InlineData("cpu-per-lane")]
    public void EveryBackendMatchesAPlainReferenceImplementation(string backend)
    {
        Experiment experiment = TheoryFixture.Experiment(TwoPoints, 1.5, 0.1, 25, """{ "sites": 512, "integration": "mc", "seed": 4 }""", centered: true);
        Dataset data = DataFactory.Build(experiment.Data);
        var problem = new TwoLayerProblem(data.InputGram(), 2, data.Y, 1.5, 0.1, 25, true, false);
        SiteRule rule = SiteRules.AntitheticMonteCarlo(512, 3, 4);
        NetworkModel model = TheoryFixture.Model("TwoLayerTanh");
        ITwoLayerSolver solver = backend switch
        {
            "kernel" => model.Accept(new TwoLayerSolverFactory(fixture.Device, TwoLayerBackend.Kernel)),
            "kernel-site-parallel" => model.Accept(new TwoLayerSolverFactory(fixture.Device, TwoLayerBackend.Kernel, siteParallel: true)),
            "cpu-simd" => model.Accept(new TwoLayerSolverFactory(fixture.Device, TwoLayerBackend.Cpu)),
            "cpu-simd-vector-lanes" => model.Accept(new VectorLanesSolverFactory()),
            _ => model.Accept(new PerLaneSolverFactory()),
        };
        Assert.Equal(backend.StartsWith("cpu-simd", StringComparison.Ordinal), solver.Backend.Contains("generated SIMD activation", StringComparison.Ordinal));
        Series mean = solver.Solve(problem, rule, threads: 3, null, CancellationToken.None).Mean;
        (double[][] delta, double[][] testF) = ReferenceTwoLayer.Solve(problem, rule, Math.Tanh, h => 1 - (Math.Tanh(h) * Math.Tanh(h)));
        for (int n = 0; n <= 25; n++)
        {
            Assert.Equal(delta[n][0], mean.Delta[n][0], 1e-12);
            Assert.Equal(delta[n][1], mean.Delta[n][1], 1e-12);
            Assert.Equal(testF[n][0], mean.TestF![n][0], 1e-12);
        }
    }

    [Theory]
    [InlineData("TwoLayerRelu", true)]
    [InlineData("LeakyRelu", true)]
    [InlineData("Cubic", true)]
    [InlineData("Softplus", false)]
    [InlineData("Gelu", false)]
    [InlineData("TwoLayerErf", false)]
    public void GeneratedSimdActivationGivesTheScalarJetsTrajectory(string name, bool arithmeticOnly)
    {
        // Every model's CPU solve now runs on its generated SIMD form; the scalar jet lane by lane is the reference.
        // Formulas of arithmetic and conditionals give the same bits; exp and log are a few ulps from Math's.
        Experiment experiment = TheoryFixture.Experiment(TwoPoints, 1.5, 0.1, 25, """{ "sites": 1000, "integration": "qmc", "seed": 4 }""", centered: false);
        Dataset data = DataFactory.Build(experiment.Data);
        var problem = new TwoLayerProblem(data.InputGram(), 2, data.Y, 1.5, 0.1, 25, false, false);
        SiteRule rule = TheoryRunner.BuildRule(IntegrationMethod.Qmc, experiment.Theory!, 3);
        NetworkModel model = TheoryFixture.Model(name);
        ITwoLayerSolver simd = model.Accept(new TwoLayerSolverFactory(fixture.Device, TwoLayerBackend.Cpu));
        Assert.Contains("generated SIMD activation", simd.Backend, StringComparison.Ordinal);
        Series lanes = simd.Solve(problem, rule, null, null, CancellationToken.None).Mean;
        Series scalar = model.Accept(new PerLaneSolverFactory()).Solve(problem, rule, null, null, CancellationToken.None).Mean;
        for (int n = 0; n <= 25; n++)
        {
            for (int mu = 0; mu < 2; mu++)
            {
                if (arithmeticOnly)
                {
                    Assert.Equal(scalar.Delta[n][mu], lanes.Delta[n][mu]);
                    Assert.Equal(scalar.Ntk[n][mu][1 - mu], lanes.Ntk[n][mu][1 - mu]);
                }
                else
                {
                    Assert.Equal(scalar.Delta[n][mu], lanes.Delta[n][mu], 1e-13);
                    Assert.Equal(scalar.Ntk[n][mu][1 - mu], lanes.Ntk[n][mu][1 - mu], 1e-12);
                }
            }
        }
    }

    [Fact]
    public void OneThreadPerSiteGivesTheSameSumsAsOneThreadPerChunkToTheLastBit()
    {
        // The GPU layout (one thread per site, then 64-site blocks, then groups) must add in the chunked layout's order.
        Experiment experiment = TheoryFixture.Experiment(TwoPoints, 1.5, 0.1, 25, """{ "sites": 1000, "integration": "qmc", "seed": 4 }""", centered: true);
        Dataset data = DataFactory.Build(experiment.Data);
        var problem = new TwoLayerProblem(data.InputGram(), 2, data.Y, 1.5, 0.1, 25, true, false);
        SiteRule rule = TheoryRunner.BuildRule(IntegrationMethod.Qmc, experiment.Theory!, 3);
        NetworkModel model = TheoryFixture.Model("TwoLayerTanh");
        Series chunked = model.Accept(new TwoLayerSolverFactory(fixture.Device, TwoLayerBackend.Kernel, siteParallel: false)).Solve(problem, rule, null, null, CancellationToken.None).Mean;
        Series perSite = model.Accept(new TwoLayerSolverFactory(fixture.Device, TwoLayerBackend.Kernel, siteParallel: true)).Solve(problem, rule, null, null, CancellationToken.None).Mean;
        Assert.True(rule.Count % TwoLayer.TwoLayerMemory.ChunkSize != 0, "a partial last block is part of the check");
        for (int n = 0; n <= 25; n++)
        {
            Assert.Equal(chunked.Delta[n], perSite.Delta[n]);
            Assert.Equal(chunked.TestF![n], perSite.TestF![n]);
            Assert.Equal(chunked.Ntk[n][0], perSite.Ntk[n][0]);
            Assert.Equal(chunked.Ntk[n][1], perSite.Ntk[n][1]);
        }
    }

    [Fact]
    public void TheRunnerUsesTheSimdSolverOnTheCpuAndItsPaddingIsExact()
    {
        // 3000 QMC sites in 8 groups of 375: every chunk's last slots are padding (375 = 5 * 64 + 55).
        Experiment experiment = TheoryFixture.Experiment(TwoPoints, 1.0, 0.1, 15, """{ "sites": 3000, "integration": "qmc", "kernels": true }""");
        TheoryResult runner = TheoryFixture.TwoLayer(experiment, "TwoLayerTanh", fixture.Device);
        Dataset data = DataFactory.Build(experiment.Data);
        var problem = new TwoLayerProblem(data.InputGram(), 2, data.Y, 1.0, 0.1, 15, false, true);
        SiteRule rule = TheoryRunner.BuildRule(IntegrationMethod.Qmc, experiment.Theory!, 3);
        ITwoLayerSolver kernel = TheoryFixture.Model("TwoLayerTanh").Accept(new TwoLayerSolverFactory(fixture.Device, TwoLayerBackend.Kernel));
        TwoLayerSolution reference = kernel.Solve(problem, rule, threads: null, null, CancellationToken.None);
        for (int n = 0; n <= 15; n++)
        {
            for (int a = 0; a < 2; a++)
            {
                Assert.Equal(reference.Mean.Delta[n][a], runner.Mean.Delta[n][a], 1e-12);
                Assert.Equal(reference.Error.Delta[n][a], runner.IntegrationError!.Delta[n][a], 1e-12);
            }

            Assert.Equal(reference.Mean.Ntk[n][0][1], runner.Mean.Ntk[n][0][1], 1e-12);
            for (int m = 0; m <= n; m++)
            {
                Assert.Equal(reference.Kernels!.Phi[0][n][m][0][1], runner.Kernels!.Phi[0][n][m][0][1], 1e-12);
                Assert.Equal(reference.Kernels!.G[0][n][m][1][0], runner.Kernels!.G[0][n][m][1][0], 1e-12);
            }
        }
    }

    [Fact]
    public void IntegrationMethodsAgreeWithinTheirErrorEstimates()
    {
        var results = new Dictionary<string, TheoryResult>();
        foreach ((string method, int sites) in new[] { ("quadrature", 4096), ("qmc", 8192), ("mc", 8192) })
        {
            Experiment experiment = TheoryFixture.Experiment(Scalar, 1.0, 0.05, 80, $$"""{ "sites": {{sites}}, "integration": "{{method}}", "seed": 11 }""");
            results[method] = TheoryFixture.TwoLayer(experiment, "TwoLayerTanh", fixture.Device);
        }

        // Replicate errors are standard errors from 8 groups (t with 7 degrees of freedom: |t| > 5 has probability 0.0016).
        foreach (int n in new[] { 20, 40, 80 })
        {
            foreach ((string a, string b) in new[] { ("quadrature", "qmc"), ("quadrature", "mc"), ("qmc", "mc") })
            {
                double difference = Math.Abs(results[a].Mean.Delta[n][0] - results[b].Mean.Delta[n][0]);
                double scale = Math.Sqrt(Math.Pow(results[a].IntegrationError!.Delta[n][0], 2) + Math.Pow(results[b].IntegrationError!.Delta[n][0], 2));
                Assert.True(difference <= 5.0 * scale, $"n = {n}: {a} vs {b} differ by {difference:E2}, combined error {scale:E2}");
            }
        }
    }

    [Fact]
    public void RotatedGridErrorShrinksWithResolutionAndIsEstimatedBySpreadOverRotations()
    {
        double Delta(int sites, out double estimate)
        {
            Experiment experiment = TheoryFixture.Experiment(Scalar, 1.0, 0.05, 60, $$"""{ "sites": {{sites}}, "integration": "quadrature" }""");
            TheoryResult result = TheoryFixture.TwoLayer(experiment, "TwoLayerTanh", fixture.Device);
            estimate = result.IntegrationError!.Delta[60][0];
            return result.Mean.Delta[60][0];
        }

        // Sites for 8 rotations of an n^2 grid. At eta = 0.05, T = 60 the integrand is smooth, the rotation-averaged grid
        // has no visible bias, and the spread over rotations is a standard error (bound: 5 of it plus the reference's).
        double reference = Delta(8 * 96 * 96, out double referenceEstimate);
        double previousError = double.PositiveInfinity;
        double previousEstimate = double.PositiveInfinity;
        foreach (int n in new[] { 6, 12, 24 })
        {
            double error = Math.Abs(Delta(8 * n * n, out double estimate) - reference);
            Assert.True(error < previousError && estimate < previousEstimate, $"{n}^2 nodes: error {error:E2}, estimate {estimate:E2}");
            Assert.True(error <= 5 * (estimate + referenceEstimate), $"8 x {n}^2 nodes: the error {error:E2} is more than 5 estimates {estimate:E2} + {referenceEstimate:E2}");
            previousError = error;
            previousEstimate = estimate;
        }
    }

    [Fact]
    public void WhitenedLinearNetworkFollowsTheClosedFormOdeToFirstOrderInEta()
    {
        // DESIGN.md 3.3: K^x = I, phi(h) = h: Delta stays parallel to y and d|Delta|/dt = -2 sqrt(1 + gamma0^2 (|y| - |Delta|)^2) |Delta|.
        const double gamma0 = 1.0;
        const double time = 1.0;
        double[] y = [1.0, 0.5];
        double norm = Math.Sqrt((y[0] * y[0]) + (y[1] * y[1]));
        double ode = RungeKutta(norm, gamma0, time, 4000);
        var errors = new List<double>();
        foreach (double eta in new[] { 0.04, 0.02 })
        {
            int steps = (int)Math.Round(time / eta);
            Experiment experiment = TheoryFixture.Experiment(
                """{ "kind": "inline", "x": [[1.4142135623730951, 0], [0, 1.4142135623730951]], "y": [1, 0.5] }""", gamma0, eta, steps, """{ "sites": 13824, "integration": "quadrature" }""");
            TheoryResult result = TheoryFixture.TwoLayer(experiment, "TwoLayerLinear", fixture.Device);
            double[] delta = result.Mean.Delta[steps];
            double integration = result.IntegrationError!.Delta[steps].Max();
            double across = Math.Abs((delta[0] * y[1]) - (delta[1] * y[0])) / norm;
            Assert.True(across <= 10 * integration + 1e-12, $"eta = {eta}: Delta has a component {across:E2} across y");
            double error = Math.Abs(Math.Sqrt((delta[0] * delta[0]) + (delta[1] * delta[1])) - ode);
            Assert.True(integration < 0.05 * error, $"eta = {eta}: integration error {integration:E2} is not small against the time-step error {error:E2}");
            errors.Add(error);
        }

        double ratio = errors[0] / errors[1];
        Assert.True(ratio is > 1.7 and < 2.3, $"halving eta shrank the error from {errors[0]:E3} to {errors[1]:E3} (ratio {ratio:F3}, expected 2 for O(eta))");
    }

    [Fact]
    public void SmallGamma0ReproducesTheLazyDynamics()
    {
        NetworkModel model = TheoryFixture.Model("TwoLayerTanh");
        double Deviation(double gamma0, out double integration)
        {
            Experiment experiment = TheoryFixture.Experiment(TwoPoints, gamma0, 0.1, 30, """{ "sites": 32768, "integration": "quadrature" }""", centered: true);
            TheoryResult twoLayer = TheoryFixture.TwoLayer(experiment, "TwoLayerTanh", fixture.Device);
            TheoryResult lazy = TheoryRunner.Lazy(experiment, model, DataFactory.Build(experiment.Data));
            integration = 0.0;
            double deviation = 0.0;
            for (int n = 0; n <= 30; n++)
            {
                for (int a = 0; a < 2; a++)
                {
                    deviation = Math.Max(deviation, Math.Abs(twoLayer.Mean.Delta[n][a] - lazy.Mean.Delta[n][a]));
                    integration = Math.Max(integration, twoLayer.IntegrationError!.Delta[n][a] + lazy.IntegrationError!.Delta[n][a]);
                }

                deviation = Math.Max(deviation, Math.Abs(twoLayer.Mean.TestF![n][0] - lazy.Mean.TestF![n][0]));
            }

            return deviation;
        }

        double large = Deviation(0.2, out double integrationLarge);
        double small = Deviation(0.1, out double integrationSmall);
        Assert.True(small > 20 * integrationSmall && large > 20 * integrationLarge, $"deviations {large:E2}, {small:E2} are not resolved by the integration errors {integrationLarge:E2}, {integrationSmall:E2}");
        double ratio = large / small;
        Assert.True(ratio is > 3.5 and < 4.5, $"halving gamma0 shrank the deviation from the lazy dynamics from {large:E3} to {small:E3} (ratio {ratio:F3}, expected 4: O(gamma0^2))");
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        Experiment experiment = TheoryFixture.Experiment(TwoPoints, 1.0, 0.1, 20, """{ "sites": 3000, "integration": "qmc", "kernels": true }""");
        TheoryResult one = TheoryFixture.TwoLayer(experiment, "TwoLayerTanh", fixture.Device, threads: 1);
        foreach (int threads in new[] { 2, 7 })
        {
            TheoryResult other = TheoryFixture.TwoLayer(experiment, "TwoLayerTanh", fixture.Device, threads);
            for (int n = 0; n <= 20; n++)
            {
                Assert.Equal(one.Mean.Delta[n], other.Mean.Delta[n]);
                Assert.Equal(one.Mean.TestF![n], other.Mean.TestF![n]);
                Assert.Equal(one.IntegrationError!.Delta[n], other.IntegrationError!.Delta[n]);
                Assert.Equal(one.Kernels!.Phi[0][n][n / 2], other.Kernels!.Phi[0][n][n / 2]);
            }
        }
    }

    [Fact]
    public void TwoTimeKernelsAreSymmetricAndEqualTheEqualTimeKernelsOnTheDiagonal()
    {
        Experiment experiment = TheoryFixture.Experiment(TwoPoints, 1.0, 0.1, 12, """{ "sites": 4096, "kernels": true }""");
        TheoryResult result = TheoryFixture.TwoLayer(experiment, "TwoLayerTanh", fixture.Device);
        TwoTimeKernels kernels = result.Kernels!;
        for (int n = 0; n <= 12; n++)
        {
            for (int m = 0; m <= 12; m++)
            {
                for (int mu = 0; mu < 2; mu++)
                {
                    for (int nu = 0; nu < 2; nu++)
                    {
                        Assert.Equal(kernels.Phi[0][n][m][mu][nu], kernels.Phi[0][m][n][nu][mu]);
                        Assert.Equal(kernels.G[0][n][m][mu][nu], kernels.G[0][m][n][nu][mu]);
                    }
                }
            }

            for (int mu = 0; mu < 2; mu++)
            {
                for (int nu = 0; nu < 2; nu++)
                {
                    Assert.Equal(result.Mean.FeatureKernel![0][n][mu][nu], kernels.Phi[0][n][n][mu][nu], 1e-14);
                    Assert.Equal(result.Mean.GradientKernel![0][n][mu][nu], kernels.G[0][n][n][mu][nu], 1e-14);
                }
            }
        }
    }

    [Fact]
    public void TheSinglePointPathGivesTheSameBitsAsTheGeneralOne()
    {
        // One training point takes the register-sum path unless two-time kernels are recorded; recording them does
        // not change the dynamics, so both runs must agree bit for bit.
        SiteRule rule = SiteRules.AntitheticMonteCarlo(1000, 2, 9);
        NetworkModel model = TheoryFixture.Model("TwoLayerTanh");
        ITwoLayerSolver solver = model.Accept(new TwoLayerSolverFactory(fixture.Device, TwoLayerBackend.Cpu));
        Series Solve(bool twoTime) => solver.Solve(new TwoLayerProblem([1.0], 1, [1.0], 1.5, 0.2, 40, false, twoTime), rule, threads: 2, null, CancellationToken.None).Mean;
        Series fast = Solve(false), general = Solve(true);
        for (int n = 0; n <= 40; n++)
        {
            Assert.Equal(general.F[n][0], fast.F[n][0]);
            Assert.Equal(general.Ntk[n][0][0], fast.Ntk[n][0][0]);
            Assert.Equal(general.Delta[n][0], fast.Delta[n][0]);
        }

        Assert.True(fast.Delta[40][0] < 0.5 * fast.Delta[0][0], "the run should train");
    }

    // |Delta|(t) from d|Delta|/dt = -2 sqrt(1 + gamma0^2 (|y| - |Delta|)^2) |Delta|, |Delta|(0) = |y|, classical RK4.
    private static double RungeKutta(double y, double gamma0, double time, int steps)
    {
        double Rate(double d) => -2.0 * Math.Sqrt(1.0 + (gamma0 * gamma0 * (y - d) * (y - d))) * d;
        double h = time / steps;
        double delta = y;
        for (int i = 0; i < steps; i++)
        {
            double k1 = Rate(delta);
            double k2 = Rate(delta + (0.5 * h * k1));
            double k3 = Rate(delta + (0.5 * h * k2));
            double k4 = Rate(delta + (h * k3));
            delta += h / 6.0 * (k1 + (2 * k2) + (2 * k3) + k4);
        }

        return delta;
    }
}

/// <summary>The CPU solver with the generated activation evaluated lane by lane (the path of activations without SIMD code).</summary>
internal sealed class PerLaneSolverFactory : INetworkModelVisitor<ITwoLayerSolver>
{
    public ITwoLayerSolver Visit<TActivation>(NetworkModel<TActivation> model)
        where TActivation : struct, IActivation => new TwoLayerCpuSolver<TActivation>(LaneActivation<TActivation>.PerLaneOnly);
}

/// <summary>The CPU solver on <see cref="VectorLanes"/> where the process would use AVX-512 (the other SIMD width).</summary>
internal sealed class VectorLanesSolverFactory : INetworkModelVisitor<ITwoLayerSolver>
{
    public ITwoLayerSolver Visit<TActivation>(NetworkModel<TActivation> model)
        where TActivation : struct, IActivation => new TwoLayerCpuSolver<TActivation>(LaneActivation<TActivation>.For(model).WithVectorLanes());
}
