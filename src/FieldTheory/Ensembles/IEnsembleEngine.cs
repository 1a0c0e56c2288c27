namespace FieldTheory.Ensembles;

/// <summary>
/// A trainer of E width-N networks side by side (DESIGN.md section 2). The run records the state at steps
/// n, n + 1, ... with <see cref="Evaluate"/> (which may take several steps at once, updating in between) and moves on
/// with <see cref="Update"/>. Implementations: <see cref="EnsembleEngine{TActivation}"/> (ILGPU kernels, one step per
/// call) and <see cref="CpuEnsembleEngine{TActivation}"/> (member-parallel SIMD and OpenBLAS, many steps per call).
/// </summary>
internal interface IEnsembleEngine : IDisposable
{
    /// <summary>Where the engine runs, for <see cref="Results.EnsembleResult.Device"/>.</summary>
    string Description { get; }

    /// <summary>Most steps one <see cref="Evaluate"/> call records.</summary>
    int MaxStepsPerCall { get; }

    /// <summary>All weights N(0,1) from the counter-based generator keyed by (seed, member, layer, index).</summary>
    void Initialize(ulong seed);

    /// <summary>Inputs, AllRows x D row-major: training rows first, then test rows.</summary>
    void SetInputs(double[] x);

    /// <summary>
    /// Records the current state into <paramref name="steps"/>[0] and, for s = 1 .. count - 1, takes a gradient step
    /// with the errors of <paramref name="errors"/> and records the new state into steps[s]. The engine then stands at
    /// the state of the last record.
    /// </summary>
    void Evaluate(ReadOnlySpan<StepRecord> steps, TrainingErrors errors);

    /// <summary>One gradient step with the errors of the last recorded state (the rule of the last <see cref="Evaluate"/>).</summary>
    void Update();
}

/// <summary>One step's per-member results: f on every row (members x AllRows) and Phi^l, G^l (members x P x P, l = 1..L).</summary>
internal sealed class StepRecord
{
    public StepRecord(EnsembleShape shape)
    {
        Outputs = new double[shape.Members * shape.AllRows];
        int kernel = shape.Members * shape.TrainRows * shape.TrainRows;
        Feature = [.. Enumerable.Range(0, shape.Layers).Select(_ => new double[kernel])];
        Gradient = [.. Enumerable.Range(0, shape.Layers).Select(_ => new double[kernel])];
    }

    public double[] Outputs { get; }

    public double[][] Feature { get; }

    public double[][] Gradient { get; }

    /// <summary>Doubles one record holds: E (Pa + 2 L P^2).</summary>
    public static long Doubles(EnsembleShape shape) =>
        (long)shape.Members * (shape.AllRows + (2L * shape.Layers * shape.TrainRows * shape.TrainRows));
}

/// <summary>
/// The errors a gradient step uses: Delta_mu = (y_mu - (f_mu - f_mu(theta_0))) times <paramref name="Scale"/>, with
/// f(theta_0) = 0 unless <paramref name="Centered"/> (1/B for online SGD, else 1).
/// </summary>
internal sealed record TrainingErrors(double[] Targets, double Scale, bool Centered)
{
    /// <summary>Delta of one member from its outputs (first P entries used) and its initial outputs.</summary>
    public void Fill(ReadOnlySpan<double> outputs, ReadOnlySpan<double> initial, Span<double> delta)
    {
        for (int mu = 0; mu < delta.Length; mu++)
        {
            double f = outputs[mu] - (Centered ? initial[mu] : 0.0);
            delta[mu] = (Targets[mu] - f) * Scale;
        }
    }
}
