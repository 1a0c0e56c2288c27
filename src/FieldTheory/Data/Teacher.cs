using FieldTheory.Randomness;

namespace FieldTheory.Data;

/// <summary>The target function of gaussian data: a random direction beta ~ N(0, I_D) drawn from the data seed.</summary>
internal sealed class Teacher
{
    private readonly double[] _beta;
    private readonly GaussianData _spec;

    /// <summary>The teacher of <paramref name="spec"/>.</summary>
    public Teacher(GaussianData spec)
    {
        _spec = spec;
        var rng = new RandomStream(spec.Seed);
        ulong stream = StreamId.Of(0, 0, DataFactory.TeacherStream);
        _beta = new double[spec.Dimension];
        for (int i = 0; i < _beta.Length; i++)
        {
            _beta[i] = rng.Normal(stream, (ulong)i);
        }
    }

    /// <summary>The noiseless target y(x).</summary>
    public double Evaluate(ReadOnlySpan<double> x)
    {
        double dot = 0.0;
        for (int i = 0; i < _beta.Length; i++)
        {
            dot += _beta[i] * x[i];
        }

        double z = dot / Math.Sqrt(_beta.Length);
        return _spec.Teacher == TeacherKind.Linear ? z : Math.Tanh(z);
    }

    /// <summary>Targets of <paramref name="count"/> rows of x, with label noise number noiseOffset + row.</summary>
    public double[] Targets(double[] x, int count, int noiseOffset)
    {
        var rng = new RandomStream(_spec.Seed);
        ulong stream = StreamId.Of(0, 0, DataFactory.NoiseStream);
        var y = new double[count];
        for (int mu = 0; mu < count; mu++)
        {
            y[mu] = Evaluate(x.AsSpan(mu * _spec.Dimension, _spec.Dimension));
            if (_spec.Noise > 0)
            {
                y[mu] += _spec.Noise * rng.Normal(stream, (ulong)(noiseOffset + mu));
            }
        }

        return y;
    }
}
