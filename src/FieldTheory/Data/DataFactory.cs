using FieldTheory.Experiments;
using FieldTheory.Randomness;

namespace FieldTheory.Data;

/// <summary>Builds the <see cref="Dataset"/> an experiment's <see cref="DataSpec"/> describes.</summary>
internal static class DataFactory
{
    /// <summary>Purpose tags of the data's random streams (see <see cref="StreamId"/>).</summary>
    internal const int TeacherStream = 1;
    internal const int TrainInputStream = 2;
    internal const int TestInputStream = 3;
    internal const int NoiseStream = 4;
    internal const int SubsetStream = 5;

    /// <summary>The data set; throws <see cref="ExperimentException"/> naming the field when it cannot be built.</summary>
    public static Dataset Build(DataSpec spec) => spec switch
    {
        ScalarData s => new Dataset(1, [s.X], [s.Y], description: $"scalar x = {s.X}, y = {s.Y}"),
        InlineData d => new Dataset(d.Dimension, d.X, d.Y, d.TestX, d.TestY, $"inline, P = {d.Y.Length}, D = {d.Dimension}"),
        GaussianData g => Gaussian(g),
        ImageData i => ImageSubset.Load(i),
        _ => throw new ArgumentException("Unknown data kind " + spec.GetType().Name, nameof(spec)),
    };

    private static Dataset Gaussian(GaussianData g)
    {
        var teacher = new Teacher(g);
        double[] x = GaussianInputs(g, TrainInputStream, g.Train);
        double[] testX = GaussianInputs(g, TestInputStream, g.Test);
        return new Dataset(
            g.Dimension,
            x,
            teacher.Targets(x, g.Train, noiseOffset: 0),
            testX,
            teacher.Targets(testX, g.Test, noiseOffset: g.Train),
            $"gaussian D = {g.Dimension}, P = {g.Train}, test = {g.Test}, teacher {g.Teacher}, noise {g.Noise}, seed {g.Seed}");
    }

    /// <summary>Inputs x ~ N(0, I_D) from one stream of the data seed.</summary>
    internal static double[] GaussianInputs(GaussianData g, int purpose, int count, ulong firstIndex = 0)
    {
        var rng = new RandomStream(g.Seed);
        ulong stream = StreamId.Of(0, 0, purpose);
        var x = new double[count * g.Dimension];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = rng.Normal(stream, firstIndex + (ulong)i);
        }

        return x;
    }
}
