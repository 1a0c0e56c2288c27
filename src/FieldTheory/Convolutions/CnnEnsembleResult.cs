namespace FieldTheory.Convolutions;

/// <summary>
/// Outputs of every member of a trained CNN ensemble at the recorded steps. Flattened row-major:
/// <c>TrainOutputs[(m R + r) P + mu]</c> and <c>TestOutputs[(m R + r) P_test + j]</c> for member m and record r.
/// Outputs are uncentered (f(0) kept) and targets are +-1.
/// </summary>
/// <param name="Architecture">The architecture at the trained width.</param>
/// <param name="Settings">How the ensemble was trained.</param>
/// <param name="RecordedSteps">Steps n of the records (time t = n eta).</param>
/// <param name="TrainTargets">y on the training images.</param>
/// <param name="TestTargets">y on the test images.</param>
/// <param name="TrainOutputs">f on the training images.</param>
/// <param name="TestOutputs">f on the test images.</param>
/// <param name="Seconds">Wall-clock training time.</param>
public sealed record CnnEnsembleResult(
    CnnArchitecture Architecture,
    CnnTrainingSettings Settings,
    int[] RecordedSteps,
    double[] TrainTargets,
    double[] TestTargets,
    double[] TrainOutputs,
    double[] TestOutputs,
    double Seconds)
{
    /// <summary>E.</summary>
    public int Members => Settings.Members;

    /// <summary>Test outputs of member <paramref name="member"/> at record <paramref name="record"/>.</summary>
    public ReadOnlySpan<double> TestOutput(int member, int record) =>
        TestOutputs.AsSpan(((member * RecordedSteps.Length) + record) * TestTargets.Length, TestTargets.Length);

    /// <summary>Training outputs of member <paramref name="member"/> at record <paramref name="record"/>.</summary>
    public ReadOnlySpan<double> TrainOutput(int member, int record) =>
        TrainOutputs.AsSpan(((member * RecordedSteps.Length) + record) * TrainTargets.Length, TrainTargets.Length);
}
