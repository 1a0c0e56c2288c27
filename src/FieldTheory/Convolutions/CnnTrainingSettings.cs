namespace FieldTheory.Convolutions;

/// <summary>
/// How an ensemble of convolutional networks is trained (docs/cnn.md): E members of width N from seed-keyed
/// initialisations, gradient descent with step eta on the rescaled objective (DESIGN.md section 2), full batch when
/// <see cref="Batch"/> is null, otherwise minibatch SGD on batches of that size drawn without replacement per epoch in
/// an order shared by all members (so the ensemble spread is over initialisations only).
/// </summary>
/// <param name="Width">N: channels of every convolution layer (declared ratios kept, see <see cref="CnnArchitecture.WithWidth"/>).</param>
/// <param name="Members">E, the ensemble size.</param>
/// <param name="Gamma0">Feature-learning strength gamma0 (&gt; 0).</param>
/// <param name="Eta">Step size eta.</param>
/// <param name="Steps">Number of updates.</param>
/// <param name="Seed">Seed of the weight streams; member m uses streams keyed by (seed, m, layer).</param>
/// <param name="Batch">Minibatch size B, or null for full-batch gradient descent.</param>
/// <param name="RecordEvery">Record outputs every this many steps (and always at step 0 and the last step).</param>
/// <param name="Targets">+-1 targets with one output (two classes), or one-hot targets with one output per class.</param>
/// <param name="NtkProbe">Q: record the exact NTK of every member on the first Q test images at the recorded steps (0: off).</param>
internal sealed record CnnTrainingSettings(
    int Width,
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
    /// <summary>The steps at which outputs are recorded, ascending: 0, every <see cref="RecordEvery"/>, and <see cref="Steps"/>.</summary>
    public int[] RecordedSteps()
    {
        var steps = new SortedSet<int> { 0, Steps };
        if (RecordEvery > 0)
        {
            for (int n = RecordEvery; n < Steps; n += RecordEvery)
            {
                steps.Add(n);
            }
        }

        return [.. steps];
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate(int trainCount, int testCount)
    {
        Require(Width >= 1, nameof(Width), "must be at least 1");
        Require(Members >= 2, nameof(Members), "must be at least 2 (variances need two members)");
        Require(Gamma0 > 0 && double.IsFinite(Gamma0), nameof(Gamma0), "must be positive and finite");
        Require(Eta > 0 && double.IsFinite(Eta), nameof(Eta), "must be positive and finite");
        Require(Steps >= 0, nameof(Steps), "must be at least 0");
        Require(RecordEvery >= 0, nameof(RecordEvery), "must be at least 0");
        Require(NtkProbe >= 0 && NtkProbe <= testCount, nameof(NtkProbe), $"must be between 0 and the {testCount} test images");
        Require(Batch is null || (Batch >= 1 && Batch <= trainCount), nameof(Batch), $"must be between 1 and the {trainCount} training images");
    }

    private static void Require(bool condition, string name, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"{name} {message}.", name);
        }
    }
}
