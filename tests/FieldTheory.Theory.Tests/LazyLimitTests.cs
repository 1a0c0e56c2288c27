using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Results;
using FieldTheory.Theory.Lazy;

namespace FieldTheory.Theory.Tests;

public sealed class LazyLimitTests
{
    public static TheoryData<string> ClosedFormModels => ["TwoLayerLinear", "Cubic", "TwoLayerRelu", "LeakyRelu", "TwoLayerErf", "DeepRelu", "DeepLinear"];

    [Theory]
    [MemberData(nameof(ClosedFormModels))]
    public void ClosedFormsAgreeWithQuadratureTo1e10(string name)
    {
        NetworkModel model = TheoryFixture.Model(name);
        PairExpectation closed = PairExpectation.ClosedForm(model.Info.Activation) ?? throw new InvalidOperationException($"{name} has no closed form");
        var quadrature = new QuadratureExpectation(model, 24);
        (double A, double B, double C)[] covariances = [(1, 1, 0), (1, 1, 0.999), (0.5, 2.0, -0.7), (2.3, 0.4, 0.9), (1, 1, -1), (0.01, 3, 0.1)];
        foreach ((double a, double b, double c) in covariances)
        {
            (double phi, double derivative) = closed.Evaluate(a, b, c);
            (double phiQ, double derivativeQ) = quadrature.Evaluate(a, b, c);
            Assert.True(Math.Abs(phi - phiQ) <= 1e-10 * Math.Max(1, Math.Abs(phi)), $"{name} ({a}, {b}, {c}): E phi phi closed {phi:R}, quadrature {phiQ:R}");
            Assert.True(Math.Abs(derivative - derivativeQ) <= 1e-10 * Math.Max(1, Math.Abs(derivative)), $"{name} ({a}, {b}, {c}): E phi' phi' closed {derivative:R}, quadrature {derivativeQ:R}");
        }
    }

    [Fact]
    public void ArcCosineKernelMatchesIndependentValues()
    {
        // Independent inputs: E[relu(u) relu(v)] = E[relu(u)] E[relu(v)] = sqrt(a b) / (2 pi), P(u > 0, v > 0) = 1/4.
        var relu = new ReluLikeExpectation(0.0, 1.0);
        (double phi, double derivative) = relu.Evaluate(1.0, 4.0, 0.0);
        Assert.Equal(2.0 / (2.0 * Math.PI), phi, 1e-15);
        Assert.Equal(0.25, derivative, 1e-15);

        // Identical inputs: E[relu(u)^2] = a / 2 and P(u > 0) = 1/2.
        (phi, derivative) = relu.Evaluate(3.0, 3.0, 3.0);
        Assert.Equal(1.5, phi, 1e-15);
        Assert.Equal(0.5, derivative, 1e-15);
    }

    [Fact]
    public void DeepNtkFromClosedFormsAgreesWithQuadrature()
    {
        Experiment experiment = ExperimentParser.Parse("""
            { "model": "DeepRelu", "data": { "kind": "inline", "x": [[1, 0.2], [0.3, -1], [0.5, 0.5]], "y": [1, -1, 0.5], "testX": [[-0.4, 0.9]] },
              "gamma0": 1e-5, "eta": 0.1, "steps": 20, "theory": { } }
            """);
        NetworkModel model = TheoryFixture.Model("DeepRelu");
        Dataset data = DataFactory.Build(experiment.Data);
        TheoryResult closed = TheoryRunner.Lazy(experiment, model, data);
        TheoryResult quadrature = TheoryRunner.Lazy(experiment, model, data, closedForm: null);
        Assert.Null(closed.IntegrationError);
        Assert.NotNull(quadrature.IntegrationError);
        for (int n = 0; n <= 20; n++)
        {
            for (int mu = 0; mu < 3; mu++)
            {
                Assert.Equal(closed.Mean.Delta[n][mu], quadrature.Mean.Delta[n][mu], 1e-10);
                for (int nu = 0; nu < 3; nu++)
                {
                    Assert.Equal(closed.Mean.Ntk[n][mu][nu], quadrature.Mean.Ntk[n][mu][nu], 1e-10);
                }
            }

            Assert.Equal(closed.Mean.TestF![n][0], quadrature.Mean.TestF![n][0], 1e-10);
        }
    }

    [Fact]
    public void KernelRegressionDynamicsFollowTheDiscreteRecursion()
    {
        // Linear two-layer net on K^x = I: K = 2 I, so Delta(n) = (1 - 2 eta)^n y exactly.
        Experiment experiment = ExperimentParser.Parse("""
            { "model": "TwoLayerLinear", "data": { "kind": "inline", "x": [[1.4142135623730951, 0], [0, 1.4142135623730951]], "y": [1, -2] },
              "gamma0": 1e-5, "eta": 0.05, "steps": 30, "theory": { } }
            """);
        TheoryResult result = TheoryRunner.Lazy(experiment, TheoryFixture.Model("TwoLayerLinear"), DataFactory.Build(experiment.Data));
        for (int n = 0; n <= 30; n++)
        {
            Assert.Equal(Math.Pow(0.9, n), result.Mean.Delta[n][0], 1e-13);
            Assert.Equal(-2.0 * Math.Pow(0.9, n), result.Mean.Delta[n][1], 1e-13);
        }
    }
}
