namespace FieldTheory.Ensembles;

/// <summary>Random streams of ensemble weights (see <see cref="Randomness.StreamId"/>).</summary>
internal static class EnsembleStreams
{
    /// <summary>
    /// Purpose tag of weight streams: entry (i, j) of W^l (N x N_l) of member m is
    /// <c>Normal(StreamId.Of(m, l, WeightPurpose), i N_l + j)</c>; the readout w is layer L with index i.
    /// </summary>
    public const int WeightPurpose = 16;
}
