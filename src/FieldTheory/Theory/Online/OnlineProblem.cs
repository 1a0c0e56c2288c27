namespace FieldTheory.Theory.Online;

/// <summary>One infinite-width online-learning trajectory to integrate (DESIGN.md 3.5).</summary>
/// <param name="Population">The population: its loss is recorded, and descended with <see cref="OnlineGradient.Population"/>.</param>
/// <param name="Gamma0">Feature-learning strength.</param>
/// <param name="Eta">Learning rate.</param>
/// <param name="Steps">T; records hold n = 0..T.</param>
/// <param name="Gradient">Which loss the sites descend.</param>
/// <param name="Batches">The ensemble's batches: needed for <see cref="OnlineGradient.EnsembleBatches"/> and for <paramref name="RecordBatches"/>.</param>
/// <param name="TestX">Fixed test inputs (row-major, D per row) whose outputs are recorded, or null.</param>
/// <param name="RecordBatches">Record f, Delta, the batch-mean loss and the NTK on batch n at every step.</param>
internal sealed record OnlineProblem(
    OnlinePopulation Population,
    double Gamma0,
    double Eta,
    int Steps,
    OnlineGradient Gradient,
    BatchSequence? Batches,
    double[]? TestX,
    bool RecordBatches)
{
    /// <summary>Memory that may be used by the trajectories of one run.</summary>
    public const long LimitBytes = 8L << 30;

    /// <summary>
    /// Peak bytes of one trajectory over S sites: kept activations 16 S (M_x + B) (B only when batches are evaluated),
    /// sites 8 S (D + 2), records 8 (T + 1) (1 + P_test + 3 B + B^2) when batches are recorded, and the NTK's
    /// transposed activations 16 S B.
    /// </summary>
    public long PeakBytes(long sites)
    {
        int d = Population.Dimension;
        long batch = Batches is not null && (RecordBatches || Gradient == OnlineGradient.EnsembleBatches) ? Batches.Batch : 0;
        long tests = TestX is null ? 0 : TestX.Length / d;
        long kept = 16 * sites * (Population.Count + batch) + (RecordBatches ? 16 * sites * batch : 0);
        long records = 8L * (Steps + 1) * (1 + tests + (RecordBatches ? (3 * batch) + (batch * batch) : 0));
        return kept + (8 * sites * (d + 2)) + records;
    }
}
