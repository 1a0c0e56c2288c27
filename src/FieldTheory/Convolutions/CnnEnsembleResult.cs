namespace FieldTheory.Convolutions;

/// <summary>
/// Outputs of every member of a trained CNN ensemble at the recorded steps, with C outputs per image. Flattened
/// row-major: <c>TrainOutputs[((m R + r) P + mu) C + c]</c> and <c>TestOutputs[((m R + r) P_test + j) C + c]</c> for
/// member m and record r; targets likewise (<c>TrainTargets[mu C + c]</c>). Outputs are uncentered (f(0) kept).
/// With a probe of Q images, <c>ProbeNtk[(m R + r) (Q C)^2 + a (Q C) + b]</c> is member m's exact NTK between
/// probe rows a = q C + c and b (<see cref="CnnProbeNtk{TActivation}"/>).
/// </summary>
/// <param name="Architecture">The architecture at the trained width.</param>
/// <param name="Settings">How the ensemble was trained.</param>
/// <param name="RecordedSteps">Steps n of the records (time t = n eta).</param>
/// <param name="Outputs">C: 1 for +-1 targets, the number of classes for one-hot targets.</param>
/// <param name="TrainTargets">y on the training images, P x C.</param>
/// <param name="TestTargets">y on the test images, P_test x C.</param>
/// <param name="TrainOutputs">f on the training images.</param>
/// <param name="TestOutputs">f on the test images.</param>
/// <param name="ProbeNtk">The probe NTKs (empty without a probe).</param>
/// <param name="Seconds">Wall-clock training time.</param>
internal sealed record CnnEnsembleResult(
    CnnArchitecture Architecture,
    CnnTrainingSettings Settings,
    int[] RecordedSteps,
    int Outputs,
    double[] TrainTargets,
    double[] TestTargets,
    double[] TrainOutputs,
    double[] TestOutputs,
    double[] ProbeNtk,
    double Seconds)
{
    /// <summary>E.</summary>
    public int Members => Settings.Members;

    /// <summary>P_test.</summary>
    public int TestCount => TestTargets.Length / Outputs;

    /// <summary>P.</summary>
    public int TrainCount => TrainTargets.Length / Outputs;

    /// <summary>Q C, the side of a probe NTK.</summary>
    public int ProbeRows => Settings.NtkProbe * Outputs;

    /// <summary>Test outputs of member <paramref name="member"/> at record <paramref name="record"/>, P_test x C.</summary>
    public ReadOnlySpan<double> TestOutput(int member, int record) =>
        TestOutputs.AsSpan(((member * RecordedSteps.Length) + record) * TestTargets.Length, TestTargets.Length);

    /// <summary>Training outputs of member <paramref name="member"/> at record <paramref name="record"/>, P x C.</summary>
    public ReadOnlySpan<double> TrainOutput(int member, int record) =>
        TrainOutputs.AsSpan(((member * RecordedSteps.Length) + record) * TrainTargets.Length, TrainTargets.Length);

    /// <summary>The probe NTK of member <paramref name="member"/> at record <paramref name="record"/>, (Q C) x (Q C).</summary>
    public ReadOnlySpan<double> Ntk(int member, int record) =>
        ProbeNtk.AsSpan(((member * RecordedSteps.Length) + record) * ProbeRows * ProbeRows, ProbeRows * ProbeRows);
}
