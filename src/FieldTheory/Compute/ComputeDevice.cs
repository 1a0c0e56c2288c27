using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace FieldTheory.Compute;

/// <summary>
/// The one place that decides where kernels run (DESIGN.md 6.3): the ILGPU CPU accelerator by default, CUDA when
/// asked for and present. Owns the ILGPU context and accelerator; dispose it when done. Experiments choose it by
/// name (<c>"ensemble": {"device": ...}</c>); programmatic users create one to check what a name resolves to. Kernels on the CPU
/// accelerator should use grid-stride loops over about <see cref="CpuThreads"/> threads, because ILGPU's CPU
/// backend runs one OS thread per GPU thread (../shared/TOOLCHAIN.md).
/// </summary>
public sealed class ComputeDevice : IDisposable
{
    private ComputeDevice(Context context, Accelerator accelerator)
    {
        Context = context;
        Accelerator = accelerator;
    }

    /// <summary>The ILGPU context.</summary>
    internal Context Context { get; }

    /// <summary>The accelerator kernels are loaded on.</summary>
    internal Accelerator Accelerator { get; }

    /// <summary>True on a GPU.</summary>
    public bool IsGpu => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>Threads to launch for a grid-stride loop on the CPU accelerator: a few per core.</summary>
    internal static int CpuThreads => Math.Max(4, 4 * Environment.ProcessorCount);

    /// <summary>
    /// A device for "cpu", "cuda" or "auto" (CUDA if present, else CPU). Throws <see cref="InvalidOperationException"/>
    /// with a clear message when CUDA is requested but not available.
    /// </summary>
    public static ComputeDevice Create(string kind)
    {
        Context context = Context.Create(builder => builder.Default().EnableAlgorithms().Math(MathMode.Default));
        try
        {
            Device? cuda = context.GetCudaDevices().Count > 0 ? context.GetCudaDevices()[0] : null;
            switch (kind)
            {
                case "cuda" when cuda is null:
                    throw new InvalidOperationException("device \"cuda\" was requested but no CUDA GPU is visible; use \"cpu\" or \"auto\".");
                case "cuda":
                case "auto" when cuda is not null:
                    return new ComputeDevice(context, cuda!.CreateAccelerator(context));
                case "cpu":
                case "auto":
                    return new ComputeDevice(context, context.CreateCPUAccelerator(0));
                default:
                    throw new ArgumentException($"Unknown device \"{kind}\"; expected cpu, cuda or auto.", nameof(kind));
            }
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>One line for logs, benchmark headers and result files.</summary>
    public string Describe() => IsGpu
        ? $"ILGPU CUDA: {Accelerator.Name}, {Accelerator.MemorySize / (1 << 20)} MiB"
        : $"ILGPU CPU accelerator, {Environment.ProcessorCount} cores";

    /// <inheritdoc />
    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}
