using FieldTheory.Data;
using FieldTheory.Randomness;

namespace FieldTheory.Ensembles;

/// <summary>
/// The fresh batches of online SGD (DESIGN.md 3.5): batch n holds inputs x ~ N(0, I_D) at indices n B D .. of the
/// data seed's stream <see cref="InputPurpose"/>, targets from the data's <see cref="Teacher"/> plus label noise at
/// indices n B .. of stream <see cref="NoisePurpose"/>. Every member sees the same batches.
/// </summary>
internal sealed class OnlineBatches(OnlineSampling sampling)
{
    /// <summary>Stream purposes after DataFactory's 1..5 (teacher, train, test, noise, subset).</summary>
    public const int InputPurpose = 6;
    public const int NoisePurpose = 7;

    private readonly Teacher _teacher = new(sampling.Data);
    private readonly RandomStream _random = new(sampling.Data.Seed);

    public int Batch => sampling.Batch;

    /// <summary>Inputs (B x D) and targets (B) of batch <paramref name="step"/>.</summary>
    public (double[] X, double[] Y) Draw(int step)
    {
        GaussianData g = sampling.Data;
        int b = sampling.Batch;
        ulong inputStream = StreamId.Of(0, 0, InputPurpose);
        ulong noiseStream = StreamId.Of(0, 0, NoisePurpose);
        var x = new double[b * g.Dimension];
        ulong first = (ulong)step * (ulong)x.Length;
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = _random.Normal(inputStream, first + (ulong)i);
        }

        var y = new double[b];
        for (int mu = 0; mu < b; mu++)
        {
            y[mu] = _teacher.Evaluate(x.AsSpan(mu * g.Dimension, g.Dimension));
            if (g.Noise > 0)
            {
                y[mu] += g.Noise * _random.Normal(noiseStream, ((ulong)step * (ulong)b) + (ulong)mu);
            }
        }

        return (x, y);
    }
}
