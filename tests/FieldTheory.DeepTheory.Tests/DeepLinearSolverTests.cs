using FieldTheory.Theory.Deep;
using FieldTheory.Theory.DeepLinear;

namespace FieldTheory.DeepTheory.Tests;

/// <summary>The algebraic deep linear solver (DESIGN.md 3.3) against answers known independently.</summary>
public sealed class DeepLinearSolverTests
{
    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(3, 1.0)]
    [InlineData(3, 2.0)]
    public void OneHiddenLayerEqualsTheTwoLayerSiteRecursion(int trainCount, double gamma0)
    {
        const int testCount = 2;
        const double eta = 0.05;
        const int steps = 40;
        double[] gram = TestData.RandomGram(trainCount + testCount, 5, seed: 7);
        double[] y = TestData.Targets(trainCount, seed: 3);

        DeepTrajectory solved = DeepLinearSolver.Solve(1, gram, trainCount, y, gamma0, eta, steps, centered: false);
        double[][] reference = TwoLayerLinearMoments.Predictions(gram, trainCount, y, gamma0, eta, steps);

        for (int n = 0; n <= steps; n++)
        {
            for (int mu = 0; mu < trainCount; mu++)
            {
                Assert.Equal(reference[n][mu], solved.F[n][mu], 1e-11);
            }

            for (int j = 0; j < testCount; j++)
            {
                Assert.Equal(reference[n][trainCount + j], solved.TestF![n][j], 1e-11);
            }
        }

        Assert.True(solved.Loss[steps] < 0.5 * solved.Loss[0], "training should reduce the loss");
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void TwoHiddenLayersAreSelfDual(double gamma0)
    {
        // DESIGN.md 3.3: for L = 2, P = 1, K^x = 1, H^1 = G^2 and H^2 = G^1 exactly.
        const int steps = 30;
        DeepTrajectory solved = DeepLinearSolver.Solve(2, [1.0], 1, [1.0], gamma0, 0.1, steps, centered: false);
        for (int n = 0; n <= steps; n++)
        {
            for (int m = 0; m <= steps; m++)
            {
                double scale = Math.Max(1, Math.Abs(solved.Phi[0][n, 0, m, 0]));
                Assert.Equal(solved.Phi[0][n, 0, m, 0], solved.G[1][n, 0, m, 0], 1e-12 * scale);
                Assert.Equal(solved.Phi[1][n, 0, m, 0], solved.G[0][n, 0, m, 0], 1e-12 * scale);
            }
        }

        Assert.NotEqual(solved.Phi[0][0, 0, 0, 0], solved.Phi[0][steps, 0, steps, 0], 1e-3);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    public void HiddenFieldGradientOverlapIsTheSameInEveryLayer(int layers, int trainCount)
    {
        // DESIGN.md 3.3: g^l . h^l / N is the same for every layer of a linear network.
        const int steps = 25;
        double[] gram = TestData.RandomGram(trainCount, 4, seed: 11);
        double[] y = TestData.Targets(trainCount, seed: 5);
        DeepTrajectory solved = DeepLinearSolver.Solve(layers, gram, trainCount, y, 1.5, 0.05, steps, centered: true);
        for (int n = 0; n <= steps; n++)
        {
            for (int mu = 0; mu < trainCount; mu++)
            {
                double top = solved.CrossKernel![layers - 1][n][mu];
                for (int l = 0; l < layers - 1; l++)
                {
                    Assert.Equal(top, solved.CrossKernel[l][n][mu], 1e-12 * Math.Max(1, Math.Abs(top)));
                }
            }
        }
    }

    [Fact]
    public void TestPointsDoNotActOnTraining()
    {
        double[] gram = TestData.RandomGram(4, 6, seed: 2);
        double[] trainGram = [gram[0], gram[1], gram[4], gram[5]];
        double[] y = [0.7, -0.4];
        DeepTrajectory with = DeepLinearSolver.Solve(3, gram, 2, y, 1.0, 0.1, 20, centered: false);
        DeepTrajectory without = DeepLinearSolver.Solve(3, trainGram, 2, y, 1.0, 0.1, 20, centered: false);
        for (int n = 0; n <= 20; n++)
        {
            for (int mu = 0; mu < 2; mu++)
            {
                Assert.Equal(without.F[n][mu], with.F[n][mu], 1e-13);
                Assert.Equal(without.Ntk[n][mu][1 - mu], with.Ntk[n][mu][1 - mu], 1e-12);
            }
        }
    }

    [Fact]
    public void InitialKernelsFollowTheLinearNngpRecursion()
    {
        // Linear net: Phi^l(0,0) = K^x for every l, G^l(0,0) = 1, so K(0) = (L + 1) K^x.
        double[] gram = TestData.RandomGram(3, 4, seed: 9);
        DeepTrajectory solved = DeepLinearSolver.Solve(3, gram, 3, [1.0, 0.0, -1.0], 1.0, 0.1, 2, centered: false);
        for (int mu = 0; mu < 3; mu++)
        {
            for (int nu = 0; nu < 3; nu++)
            {
                Assert.Equal(4 * gram[mu * 3 + nu], solved.Ntk[0][mu][nu], 1e-13);
                Assert.Equal(gram[mu * 3 + nu], solved.Phi[2][0, mu, 0, nu], 1e-13);
                Assert.Equal(1.0, solved.G[0][0, mu, 0, nu], 1e-13);
            }
        }
    }

    [Fact]
    public void SmallEtaApproachesTheWhitenedTwoLayerOde()
    {
        // DESIGN.md 3.3: P = 1, K^x = 1, gradient flow d|Delta|/dt = -2 sqrt(1 + gamma0^2 (|y| - |Delta|)^2) |Delta|.
        // Discrete time differs from it at O(eta): halving eta must halve the gap at t = 1.
        const double gamma0 = 1.5;
        const double y = 1.0;
        double exact = IntegrateOde(gamma0, y, time: 1.0, substeps: 20000);
        double Gap(int steps) =>
            DeepLinearSolver.Solve(1, [1.0], 1, [y], gamma0, 1.0 / steps, steps, centered: false).Delta[steps][0] - exact;

        double coarse = Gap(100);
        double fine = Gap(200);
        Assert.True(Math.Abs(coarse) < 0.05 * exact, $"gap {coarse} at eta = 0.01 is not small against Delta(1) = {exact}");
        Assert.InRange(coarse / fine, 1.9, 2.1);
    }

    [Fact]
    public void RefusesProblemsAboveTheMemoryLimit()
    {
        var error = Assert.Throws<FieldTheory.Experiments.ExperimentException>(
            () => DeepLinearSolver.Solve(3, [1.0], 1, [1.0], 1.0, 0.1, 1000, centered: false, memoryLimitBytes: 1 << 20));
        Assert.Contains("MiB", error.Message);
    }

    private static double IntegrateOde(double gamma0, double y, double time, int substeps)
    {
        double Rate(double d) => -2 * Math.Sqrt(1 + gamma0 * gamma0 * (y - d) * (y - d)) * d;
        double delta = y;
        double dt = time / substeps;
        for (int i = 0; i < substeps; i++)
        {
            double k1 = Rate(delta);
            double k2 = Rate(delta + 0.5 * dt * k1);
            double k3 = Rate(delta + 0.5 * dt * k2);
            double k4 = Rate(delta + dt * k3);
            delta += dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        }

        return delta;
    }
}
