using FieldTheory.Compute;

namespace FieldTheory.Ensembles;

/// <summary>Sizes of <see cref="CpuEnsembleEngine{TActivation}"/>: which path a shape takes, its strides and its memory.</summary>
internal static class CpuEngineLayout
{
    /// <summary>Largest per-neuron work Pa D + P^2 that the fused two-layer sweep takes; beyond it products win.</summary>
    public const int FusedWorkLimit = 256;

    /// <summary>Most doubles of step records one call fills (32 MiB), and most steps per call.</summary>
    private const long RecordBudgetDoubles = 4L << 20;
    private const int MaxStepsPerCall = 32;

    /// <summary>Whether a shape takes the fused two-layer sweep: L = 1 and Pa D + P^2 at most <see cref="FusedWorkLimit"/>.</summary>
    public static bool UsesFusedSweep(EnsembleShape shape) =>
        shape.Layers == 1 && ((shape.AllRows * shape.Dimension) + (shape.TrainRows * shape.TrainRows)) <= FusedWorkLimit;

    /// <summary>ld, the distance of neuron rows: N rounded up to whole vectors on the fused path, else N.</summary>
    public static int Stride(EnsembleShape shape) =>
        UsesFusedSweep(shape) ? (shape.Width + Lanes.Widest - 1) / Lanes.Widest * Lanes.Widest : shape.Width;

    /// <summary>Steps one call records: as many as fit <see cref="RecordBudgetDoubles"/>, 1 to <see cref="MaxStepsPerCall"/>.</summary>
    public static int StepsPerCall(EnsembleShape shape) =>
        (int)Math.Clamp(RecordBudgetDoubles / StepRecord.Doubles(shape), 1, MaxStepsPerCall);

    /// <summary>
    /// Doubles the engine holds: Pa D inputs; per member D ld + (L-1) N^2 + ld weights, L (Pa + P) ld fields, P + Pa
    /// errors and initial outputs; per worker <see cref="MemberScratch.Doubles"/>; and the step records of one call.
    /// </summary>
    public static long Doubles(EnsembleShape shape, int workers)
    {
        (int e, int n, int d, int layers, int p, int pa) = shape;
        long ld = Stride(shape);
        long perMember = (d * ld) + ((long)(layers - 1) * n * n) + ld + (layers * (pa + p) * ld) + p + pa;
        return ((long)pa * d) + (e * perMember) + (Math.Max(1, Math.Min(workers, e)) * MemberScratch.Doubles(shape, ld))
            + (StepsPerCall(shape) * StepRecord.Doubles(shape));
    }
}
