using FieldTheory.Data;

namespace FieldTheory.Tests.Data;

public sealed class DataFactoryTests
{
    [Fact]
    public void GaussianDataIsDeterministicStandardNormalWithTheTeacherTargets()
    {
        var spec = new GaussianData(Dimension: 16, Train: 400, Test: 10, TeacherKind.Linear, Noise: 0.0, Seed: 3);

        Dataset a = DataFactory.Build(spec);
        Dataset b = DataFactory.Build(spec);

        Assert.Equal(a.X, b.X);
        Assert.Equal(a.Y, b.Y);
        // x_i ~ N(0, 1): sample mean within 4 standard errors (1 / sqrt(n)), variance within 4 SE (sqrt(2 / n)).
        double n = a.X.Length;
        double mean = a.X.Average();
        double variance = a.X.Select(v => (v - mean) * (v - mean)).Sum() / (n - 1);
        Assert.InRange(mean, -4 / Math.Sqrt(n), 4 / Math.Sqrt(n));
        Assert.InRange(variance, 1 - (4 * Math.Sqrt(2 / n)), 1 + (4 * Math.Sqrt(2 / n)));
        var teacher = new Teacher(spec);
        Assert.Equal(teacher.Evaluate(a.Input(7)), a.Y[7]);
        Assert.Equal(teacher.Evaluate(a.Input(a.Count + 2)), a.TestY![2]);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentData()
    {
        Dataset a = DataFactory.Build(new GaussianData(4, 5, 0, TeacherKind.Tanh, 0.1, Seed: 1));
        Dataset b = DataFactory.Build(new GaussianData(4, 5, 0, TeacherKind.Tanh, 0.1, Seed: 2));

        Assert.NotEqual(a.X, b.X);
    }

    [Fact]
    public void InputGramIsXDotXOverD()
    {
        Dataset data = DataFactory.Build(new InlineData(2, [1, 2, 3, 4], [0, 0], [1, 1], null));

        double[] gram = data.InputGram();

        Assert.Equal(9, gram.Length);
        Assert.Equal((1 * 3 + 2 * 4) / 2.0, gram[1]);
        Assert.Equal((3 * 1 + 4 * 1) / 2.0, gram[(1 * 3) + 2]);
        Assert.Equal(gram[1], gram[3]);
    }
}
