using System.Globalization;
using FieldTheory.Compute;
using FieldTheory.Experiments;

namespace FieldTheory.Ensembles;

/// <summary>
/// Peak memory of an ensemble run, stated before it starts and refused when it does not fit:
/// the engine's 8 <see cref="EnsembleShape.DeviceDoubles"/> bytes on ILGPU (8 <see cref="CpuEngineLayout.Doubles"/>
/// for the CPU engine, step records included); host 8 [E Q + E (Pa + 2 L P^2) + 4 (T + 1) Q] bytes for one step's
/// per-member observables, the read-back buffers and the recorded summaries (Q observables, see
/// <see cref="Observables"/>). On the CPU both live in main memory.
/// </summary>
internal static class EnsembleMemory
{
    public static (long Device, long Host) Bytes(EnsembleShape shape, Observables observables, int steps, EnsembleBackend backend, int workers)
    {
        long q = observables.Count;
        long perStep = (shape.Members * q) + StepRecord.Doubles(shape);
        long engine = backend == EnsembleBackend.Cpu ? CpuEngineLayout.Doubles(shape, workers) : shape.DeviceDoubles;
        return (8 * engine, 8 * (perStep + (4L * (steps + 1) * q)));
    }

    /// <summary>Throws an <see cref="ExperimentException"/> for <c>ensemble</c> when the run will not fit.</summary>
    public static void Check(EnsembleShape shape, Observables observables, int steps, ComputeDevice device, EnsembleBackend backend, int workers)
    {
        (long deviceBytes, long hostBytes) = Bytes(shape, observables, steps, backend, workers);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        string formula = string.Create(
            CultureInfo.InvariantCulture,
            $"E = {shape.Members}, N = {shape.Width}, L = {shape.Layers}, P = {shape.TrainRows}, test = {shape.TestRows}, T = {steps}: weights E (N D + (L-1) N^2 + N), fields E (3 L Pa N + (L+2) P N), summaries 4 (T+1) (2 P + (2L+1) P^2 + test)");
        if (device.IsGpu && deviceBytes > device.Accelerator.MemorySize)
        {
            throw new ExperimentException("ensemble", $"needs {GiB(deviceBytes)} of GPU memory but the GPU has {GiB(device.Accelerator.MemorySize)} ({formula}); reduce members or width.");
        }

        long total = hostBytes + (device.IsGpu ? 0 : deviceBytes);
        if (total > available)
        {
            throw new ExperimentException("ensemble", $"needs {GiB(total)} of memory but {GiB(available)} is available ({formula}); reduce members, width, steps or training points.");
        }
    }

    /// <summary>Runs of at least this many bytes return their memory when they end (<see cref="ReleaseIfLarge"/>).</summary>
    public const long ReleaseThresholdBytes = 1L << 30;

    /// <summary>
    /// After a run that held <paramref name="bytes"/> of managed arrays, now garbage: at least
    /// <see cref="ReleaseThresholdBytes"/>, a blocking full collection that also compacts the large-object heap. Without
    /// it a process running many large ensembles in turn (a reproduction, a sweep) kept the dead arrays of earlier runs:
    /// three L = 4, N = 256, E = 2000 runs of 3.3 GB each peaked at 9.6 GB, and the full deep-variance reproduction was
    /// killed by the kernel at 24 GB on a 23 GB machine.
    /// </summary>
    public static void ReleaseIfLarge(long bytes)
    {
        if (bytes < ReleaseThresholdBytes)
        {
            return;
        }

        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private static string GiB(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.###} GiB");
}
