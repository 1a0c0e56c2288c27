using FieldTheory.Data;
using FieldTheory.Ensembles;

namespace FieldTheory.Theory.Online;

/// <summary>The online batches 0..T exactly as the ensemble engine draws them (<see cref="OnlineBatches"/>), drawn once.</summary>
internal sealed class BatchSequence
{
    private readonly (double[] X, double[] Y)[] _batches;

    private BatchSequence((double[] X, double[] Y)[] batches, int batch)
    {
        _batches = batches;
        Batch = batch;
    }

    /// <summary>B.</summary>
    public int Batch { get; }

    /// <summary>Inputs (B x D) and noisy targets (B) of batch <paramref name="step"/>.</summary>
    public (double[] X, double[] Y) this[int step] => _batches[step];

    /// <summary>Batches 0..<paramref name="steps"/> of online SGD with batch size <paramref name="batch"/> on <paramref name="data"/>.</summary>
    public static BatchSequence Draw(GaussianData data, int batch, int steps)
    {
        var source = new OnlineBatches(new OnlineSampling(data, batch));
        return new BatchSequence([.. Enumerable.Range(0, steps + 1).Select(source.Draw)], batch);
    }
}
