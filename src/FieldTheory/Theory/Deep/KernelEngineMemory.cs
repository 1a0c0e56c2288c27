namespace FieldTheory.Theory.Deep;

/// <summary>
/// Memory of <see cref="KernelSampleEngine{TActivation}"/> beyond the samples themselves: the chunk sums on the device
/// and their host copy, and the step's memory and factor rows:
/// 8 [2 max(ceil(M / 128) Points S, ceil(M_t / 128) Points P (T + 1)) + 2 Points S + Points^2] bytes.
/// </summary>
internal static class KernelEngineMemory
{
    /// <summary>Entries of the chunk-sum buffer: the widest kernel-row or response-row sum times its chunks.</summary>
    public static long PartialLength(DeepProblem problem, int fieldCount, int tangentCount)
    {
        long Chunks(int count) => (count + ChunkedSum.ChunkSize - 1) / ChunkedSum.ChunkSize;
        long directions = (long)problem.TrainCount * (problem.Steps + 1);
        return Math.Max(Chunks(fieldCount) * problem.Points * problem.Size, Chunks(tangentCount) * problem.Points * directions);
    }

    /// <summary>Bytes on the accelerator: both sample sets (<see cref="SiteSamples.BytesPerSample"/>), the chunk sums and the step's rows.</summary>
    public static long DeviceBytes(DeepProblem problem, int fieldCount, int tangentCount) =>
        (fieldCount * SiteSamples.BytesPerSample(problem, false)) + (tangentCount * SiteSamples.BytesPerSample(problem, true))
        + (8 * (PartialLength(problem, fieldCount, tangentCount) + (2L * problem.Points * problem.Size) + ((long)problem.Points * problem.Points)));

    /// <summary>Bytes beyond the samples (see the summary).</summary>
    public static long ExtraBytes(DeepProblem problem, int fieldCount, int tangentCount) =>
        8 * ((2 * PartialLength(problem, fieldCount, tangentCount)) + (2L * problem.Points * problem.Size) + ((long)problem.Points * problem.Points));
}
