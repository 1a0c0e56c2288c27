namespace FieldTheory.Compute;

/// <summary>
/// Which <see cref="ILaneFunction"/> a model's activation takes on the SIMD CPU paths of the ensembles and the
/// two-layer theory: the generated SIMD form (<see cref="GeneratedLanes{TActivation}"/>), or for comparisons the scalar
/// jet lane by lane (<see cref="JetLanes{TActivation}"/>). <see cref="Run{TKernel}"/> calls a kernel with the chosen function and the
/// process's lane width (<see cref="Lanes"/>) as type arguments.
/// </summary>
internal readonly struct LaneActivation<TActivation>(bool generated, bool vectorLanesOnly = false)
    where TActivation : struct, IActivation
{
    /// <summary>For <paramref name="model"/>: its generated SIMD form.</summary>
    public static LaneActivation<TActivation> For(NetworkModel model) => new(true);

    /// <summary>The scalar jet lane by lane (tests and comparisons).</summary>
    public static LaneActivation<TActivation> PerLaneOnly => new(false);

    /// <summary>Whether the generated SIMD form is used (otherwise the scalar jet lane by lane).</summary>
    public bool IsVectorised => generated;

    /// <summary>How phi is evaluated, in words.</summary>
    public string Activation => generated ? "generated SIMD activation" : "generated scalar activation per lane";

    /// <summary>The lanes <see cref="Run{TKernel}"/> uses, in words.</summary>
    public string Lanes => UsesVector512 ? "AVX-512, 8 doubles per vector" : $"{VectorLanes.Count} doubles per vector";

    private bool UsesVector512 => Compute.Lanes.UseVector512 && !vectorLanesOnly;

    /// <summary>The same function on <see cref="VectorLanes"/> even where AVX-512 is used (tests of the other width).</summary>
    public LaneActivation<TActivation> WithVectorLanes() => new(generated, vectorLanesOnly: true);

    /// <summary>Runs <paramref name="kernel"/> specialised for this activation's lane function and the lane width in use.</summary>
    public void Run<TKernel>(ref TKernel kernel)
        where TKernel : struct, ILaneKernel
    {
        if (generated)
        {
            Run<TKernel, GeneratedLanes<TActivation>>(ref kernel);
        }
        else
        {
            Run<TKernel, JetLanes<TActivation>>(ref kernel);
        }
    }

    private void Run<TKernel, TFunction>(ref TKernel kernel)
        where TKernel : struct, ILaneKernel
        where TFunction : struct, ILaneFunction
    {
        if (UsesVector512)
        {
            kernel.Run<TFunction, Vector512Lanes>();
        }
        else
        {
            kernel.Run<TFunction, VectorLanes>();
        }
    }
}

/// <summary>A loop body generic over the lane function and the lane width, for <see cref="LaneActivation{TActivation}.Run{TKernel}"/>.</summary>
internal interface ILaneKernel
{
    void Run<TFunction, TLanes>()
        where TFunction : struct, ILaneFunction
        where TLanes : struct, ILanes<TLanes>;
}
