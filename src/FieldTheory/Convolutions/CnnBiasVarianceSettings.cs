namespace FieldTheory.Convolutions;

/// <summary>
/// A width sweep at fixed gamma0 for <see cref="CnnBiasVariance"/>: for every width N, an ensemble of
/// <see cref="Members"/> networks trained with the same data, steps and seed.
/// </summary>
/// <param name="Widths">The widths N (at least two, ascending).</param>
/// <param name="Members">E per width.</param>
/// <param name="Gamma0">Feature-learning strength, the same at every width.</param>
/// <param name="Eta">Step size.</param>
/// <param name="Steps">Training steps.</param>
/// <param name="Seed">Weight seed.</param>
/// <param name="Batch">Minibatch size, or null for full-batch gradient descent.</param>
/// <param name="RecordEvery">Record every this many steps (0: only the first and last step).</param>
/// <param name="Targets">+-1 targets with one output (two classes, the default), or one-hot targets with one output per class.</param>
/// <param name="NtkProbe">Q: also record the exact NTK on the first Q test images at the recorded steps (0: off).</param>
public sealed record CnnBiasVarianceSettings(
    int[] Widths,
    int Members,
    double Gamma0,
    double Eta,
    int Steps,
    ulong Seed = 1,
    int? Batch = null,
    int RecordEvery = 0,
    int NtkProbe = 0,
    CnnTargets Targets = CnnTargets.PlusMinusOne)
{
    /// <summary>
    /// The <c>--quick</c> sweep (with <see cref="CnnData.QuickFashionMnist"/>): widths 4, 8, 16, 100 members, gamma0 = 1,
    /// eta = 0.03, 24 full-batch steps, records every 8 steps. (eta = 0.04 already makes some narrow members unstable
    /// with 32 training images under the summed loss.)
    /// </summary>
    public static CnnBiasVarianceSettings Quick { get; } = new([4, 8, 16], Members: 100, Gamma0: 1.0, Eta: 0.03, Steps: 24, RecordEvery: 8);

    /// <summary>The training settings of one width.</summary>
    internal CnnTrainingSettings AtWidth(int width) => new(width, Members, Gamma0, Eta, Steps, Seed, Batch, RecordEvery, NtkProbe, Targets);
}
