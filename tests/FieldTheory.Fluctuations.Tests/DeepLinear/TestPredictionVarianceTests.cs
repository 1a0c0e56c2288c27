using FieldTheory.Fluctuations.DeepLinear;

namespace FieldTheory.Fluctuations.Tests.DeepLinear;

/// <summary>
/// N Var of deep linear test predictions by linearity in the input (<see cref="TestPredictionVariance"/>): the
/// projection on the training inputs, and answers known without the propagator.
/// </summary>
public sealed class TestPredictionVarianceTests
{
    // Training inputs (1, 0, 0), (0.6, 0.8, 0); test inputs (0.5, -0.3, 0.8), (-0.6, -0.8, 0) = -x_2; D = 3.
    private static readonly double[][] Inputs = [[1, 0, 0], [0.6, 0.8, 0], [0.5, -0.3, 0.8], [-0.6, -0.8, 0]];

    [Fact]
    public void TestInputsSplitIntoTheTrainingSpanAndTheRest()
    {
        (double[] c, double[] perpendicular) = TestPredictionVariance.Project(Gram(Inputs), train: 2, test: 2);
        // (0.5, -0.3, 0) = 0.725 x_1 - 0.375 x_2; the rest (0, 0, 0.8) has K_perp = 0.64 / 3.
        Assert.Equal(0.725, c[0], 12);
        Assert.Equal(-0.375, c[1], 12);
        Assert.Equal(0.64 / 3, perpendicular[0], 12);
        Assert.Equal(0.0, c[2], 12);
        Assert.Equal(-1.0, c[3], 12);
        Assert.Equal(0.0, perpendicular[1], 12);
    }

    [Fact]
    public void DependentTrainingInputsUseThePseudoInverse()
    {
        // x_2 = 2 x_1: the span is one line; x* = (1, 1, 0) keeps K_perp = 1 / 3 either way.
        double[][] inputs = [[1, 0, 0], [2, 0, 0], [1, 1, 0]];
        (double[] c, double[] perpendicular) = TestPredictionVariance.Project(Gram(inputs), train: 2, test: 1);
        Assert.Equal(1.0 / 3, perpendicular[0], 12);
        Assert.Equal(1.0, c[0] + (2 * c[1]), 12);
    }

    [Theory]
    [InlineData(2, 1.0, false)]
    [InlineData(3, 0.5, false)]
    [InlineData(2, 2.0, true)]
    public void KnownAnswersHoldAtEveryStep(int layers, double gamma0, bool centered)
    {
        double[] gram = Gram(Inputs);
        double[] trainGram = [gram[0], gram[1], gram[4], gram[5]];
        const int Steps = 6;
        DeepLinearFluctuations fluctuations = DeepLinearPropagator.Compute(layers, trainGram, [1.0, -0.5], gamma0, 0.2, Steps, centered);
        double[][] nvar = TestPredictionVariance.Of(fluctuations, gram, train: 2, test: 2, gamma0);

        // At initialisation N Var f(x*) = Phi^L(x*, x*) / gamma0^2 = K^x(x*, x*) / gamma0^2 (uncentered; 0 centered).
        Assert.Equal(centered ? 0.0 : gram[(2 * 4) + 2] / (gamma0 * gamma0), nvar[0][0], 10);
        for (int n = 0; n <= Steps; n++)
        {
            // A test input equal to -x_2 has f(x*) = -f(x_2) at any width.
            Assert.Equal(fluctuations.DeltaVariance(n, 1), nvar[n][1], 10);
            Assert.True(nvar[n][0] >= 0.0, $"n = {n}: negative variance {nvar[n][0]}");
        }
    }

    private static double[] Gram(double[][] inputs)
    {
        int points = inputs.Length;
        int d = inputs[0].Length;
        var gram = new double[points * points];
        for (int a = 0; a < points; a++)
        {
            for (int b = 0; b < points; b++)
            {
                gram[(a * points) + b] = inputs[a].Zip(inputs[b], (x, y) => x * y).Sum() / d;
            }
        }

        return gram;
    }
}
