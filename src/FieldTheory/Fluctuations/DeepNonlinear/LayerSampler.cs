using FieldTheory.Randomness;
using FieldTheory.Theory.Deep;

namespace FieldTheory.Fluctuations.DeepNonlinear;

/// <summary>
/// A Gaussian source of a layer's site over the time-major positions i = n P + mu (S = P (T + 1)): either constant in
/// time, with the given covariance over the P points (u^1 = W^0 x / sqrt D, covariance K^x) or one value shared by every
/// position (r^L = w^L(0)), or a Gaussian process with the given covariance over positions, drawn through its Cholesky
/// factor (with the relative jitter of DESIGN.md 3.2, since temporal kernels are nearly singular).
/// </summary>
internal sealed class GaussianSource
{
    private readonly double _scale;
    private readonly BorderedCholesky? _factor;
    private readonly int _size, _points;

    private GaussianSource(int size, int points, double scale, BorderedCholesky? factor)
    {
        _size = size;
        _points = points;
        _scale = scale;
        _factor = factor;
    }

    /// <summary>One value with the given variance at every position (r^L = w).</summary>
    public static GaussianSource Constant(int size, double variance) => new(size, 1, Math.Sqrt(variance), null);

    /// <summary>
    /// Constant in time with covariance <paramref name="covariance"/> (P x P) over the points: the value at (n, mu) is
    /// that of point mu. One point is drawn as sqrt(variance) x normal; more through the jittered Cholesky factor.
    /// </summary>
    public static GaussianSource ConstantInTime(int size, int points, double[] covariance, double jitter)
    {
        if (points == 1)
        {
            return Constant(size, covariance[0]);
        }

        var factor = new BorderedCholesky(points, jitter);
        factor.Extend(0, points, covariance);
        return new GaussianSource(size, points, 0, factor);
    }

    /// <summary>A Gaussian process with covariance <paramref name="covariance"/> (S x S) over the positions.</summary>
    public static GaussianSource Process(int size, double[] covariance, double jitter)
    {
        var factor = new BorderedCholesky(size, jitter);
        factor.Extend(0, size, covariance);
        return new GaussianSource(size, size, 0, factor);
    }

    /// <summary>Writes one path into <paramref name="path"/> from the normals of stream <paramref name="stream"/>.</summary>
    public void Draw(RandomStream random, ulong stream, Span<double> path, Span<double> normals)
    {
        if (_factor is null)
        {
            path.Fill(_scale * random.Normal(stream, 0));
            return;
        }

        for (int n = 0; n < _points; n++)
        {
            normals[n] = random.Normal(stream, (ulong)n);
            ReadOnlySpan<double> row = _factor.Row(n);
            double sum = 0;
            for (int m = 0; m <= n; m++)
            {
                sum += row[m] * normals[m];
            }

            path[n] = sum;
        }

        // Constant in time: repeat the P point values over the steps.
        for (int i = _points; i < _size; i++)
        {
            path[i] = path[i - _points];
        }
    }
}

/// <summary>
/// Samples one layer's site (<see cref="SiteJet{TActivation}"/>) and sums its moments (<see cref="LayerSums"/>):
/// field samples (values only) and, independently, tangent samples (derivatives to third order). Samples are cut into a
/// fixed number of chunks whose sums are added in chunk order, so the result depends on the seed only, not on the
/// number of threads; sample s of a set draws its sources from streams (s, layer, purpose) of the seed.
/// </summary>
internal static class LayerSampler
{
    /// <summary>Chunks per sample set; each holds one <see cref="LayerSums"/> and one <see cref="SiteJet{TActivation}"/>.</summary>
    public const int Chunks = 16;

    private const int PurposeFieldU = 11;
    private const int PurposeFieldR = 12;
    private const int PurposeTangentU = 13;
    private const int PurposeTangentR = 14;

    /// <summary>
    /// Bytes of one <see cref="SiteJet{TActivation}"/> for S positions, P points and F source families, d = F S:
    /// 8 (3 (S d^3 + S d^2 + S^2 d + S d + S^2 + S) + (P + 1) (d^3 + d^2 + S d + d + S) + P).
    /// </summary>
    public static long JetBytes(int size, int points, int families)
    {
        long s = size, d = families * s, p = points;
        return 8 * (3 * (s * d * d * d + s * d * d + s * s * d + s * d + s * s + s) + (p + 1) * (d * d * d + d * d + s * d + d + s) + p);
    }

    public static LayerSums Sample<TActivation>(
        LayerEquation equation, LayerObservables observables, GaussianSource u, GaussianSource r, int layer,
        int fieldSamples, int tangentSamples, ulong seed, CancellationToken ct)
        where TActivation : struct, IActivation
    {
        var total = new LayerSums(observables);
        foreach ((int count, bool tangents) in new[] { (fieldSamples, false), (tangentSamples, true) })
        {
            var partials = new LayerSums[Chunks];
            Parallel.For(0, Chunks, new ParallelOptions { CancellationToken = ct }, chunk =>
            {
                var sums = new LayerSums(observables);
                var jet = new SiteJet<TActivation>(equation);
                var random = new RandomStream(seed);
                int size = equation.Size;
                Span<double> pathU = stackalloc double[size], pathR = stackalloc double[size], normals = stackalloc double[size];
                for (int s = (int)((long)count * chunk / Chunks); s < (long)count * (chunk + 1) / Chunks; s++)
                {
                    u.Draw(random, StreamId.Of(s, layer, tangents ? PurposeTangentU : PurposeFieldU), pathU, normals);
                    r.Draw(random, StreamId.Of(s, layer, tangents ? PurposeTangentR : PurposeFieldR), pathR, normals);
                    jet.Run(pathU, pathR, tangents);
                    if (tangents)
                    {
                        sums.AddTangent(jet);
                    }
                    else
                    {
                        sums.AddField(jet);
                    }

                    if ((s & 255) == 0)
                    {
                        ct.ThrowIfCancellationRequested();
                    }
                }

                partials[chunk] = sums;
            });

            foreach (LayerSums partial in partials)
            {
                total.Add(partial);
            }
        }

        return total;
    }
}
