namespace FieldTheory.Theory.Deep;

/// <summary>
/// The per-sample work of a causal sweep (DESIGN.md 3.2): it owns the field samples (they estimate Phi, G and f) and
/// the tangent samples (they estimate A and B), advances them through one layer at one step, and returns the sums
/// over samples that <see cref="SiteMarch"/> turns into new kernel and response rows. Sums are taken over
/// fixed chunks of <see cref="ChunkedSum.ChunkSize"/> samples, each chunk in sample order, and the chunk sums added in
/// chunk order, so that they do not depend on the number of threads. Implementations: <see cref="CpuSampleEngine{TActivation}"/>
/// (Parallel.For on the host) and <see cref="KernelSampleEngine{TActivation}"/> (ILGPU kernels on a <see cref="Compute.ComputeDevice"/>).
/// </summary>
internal interface ISampleEngine : IDisposable
{
    /// <summary>M, the field samples per layer.</summary>
    int FieldCount { get; }

    /// <summary>M_t, the tangent samples per layer.</summary>
    int TangentCount { get; }

    /// <summary>
    /// Forward update of layer l's field samples at step n (u^l, h^l, phi(h^l)); returns sum_s phi(h(Start + mu)) phi(h(j)),
    /// [mu][j &lt; End].
    /// </summary>
    double[] ForwardField(LayerStep step, CancellationToken ct);

    /// <summary>
    /// Forward update of layer l's tangent samples with their tangents; returns sum_s d phi(h^l(Start + mu)) / d r^l_d
    /// over the directions d &lt; n P of the sources before this step, [mu][d] (zeros for l = L, which has no r-tangents).
    /// </summary>
    double[] ForwardTangent(LayerStep step, CancellationToken ct);

    /// <summary>
    /// Backward update of layer l's field samples at step n (r^l, z^l, g^l); returns sum_s g(Start + mu) g(j), [mu][j &lt; End],
    /// followed for l = L by sum_s z^L phi(h^L(Start + mu)), [mu].
    /// </summary>
    double[] BackwardField(LayerStep step, CancellationToken ct);

    /// <summary>
    /// Backward update of layer l's tangent samples; returns sum_s d g^l(Start + mu) / d u^l_d over the directions
    /// d &lt; (n + 1) P (equal-time sources included), [mu][d] (zeros for l = 1, which has no u-tangents).
    /// </summary>
    double[] BackwardTangent(LayerStep step, CancellationToken ct);
}
