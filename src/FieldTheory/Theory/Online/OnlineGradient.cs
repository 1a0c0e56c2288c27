namespace FieldTheory.Theory.Online;

/// <summary>Which loss the infinite-width network descends at each step (DESIGN.md 3.5).</summary>
internal enum OnlineGradient
{
    /// <summary>The population loss on the quadrature set: the B -&gt; infinity limit of online SGD.</summary>
    Population,

    /// <summary>
    /// The batch-mean loss on exactly the batches the ensemble engine draws (same data seed): infinite width at the
    /// ensembles' batch size, which removes the O(1/B) minibatch shift from a comparison with ensembles.
    /// </summary>
    EnsembleBatches,
}
