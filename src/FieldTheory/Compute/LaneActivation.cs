namespace FieldTheory.Compute;

/// <summary>
/// Which <see cref="ILaneFunction"/> a model's activation takes on the SIMD CPU paths of the ensembles and the
/// two-layer theory: <see cref="TanhLanes"/> when the compiled formula is tanh(h), otherwise
/// <see cref="JetLanes{TActivation}"/>. <see cref="Run{TKernel}"/> calls a kernel with the chosen function and the
/// process's lane width (<see cref="Lanes"/>) as type arguments.
/// </summary>
internal readonly struct LaneActivation<TActivation>(bool tanh, bool vectorLanesOnly = false)
    where TActivation : struct, IActivation
{
    /// <summary>For <paramref name="model"/>: vectorised when its simplified formula is tanh(h).</summary>
    public static LaneActivation<TActivation> For(NetworkModel model) => new(IsTanh(model.Info.Activation));

    /// <summary>The generated jet lane by lane, whatever the activation (tests and comparisons).</summary>
    public static LaneActivation<TActivation> PerLaneOnly => new(false);

    /// <summary>True when the compiler's canonical, simplified phi is exactly tanh(h).</summary>
    public static bool IsTanh(ActivationInfo activation) => activation.Phi == "tanh(h)";

    /// <summary>Whether the vectorised tanh is used.</summary>
    public bool IsVectorised => tanh;

    /// <summary>The lanes <see cref="Run{TKernel}"/> uses, in words.</summary>
    public string Lanes => UsesVector512 ? "AVX-512, 8 doubles per vector" : $"{VectorLanes.Count} doubles per vector";

    private bool UsesVector512 => Compute.Lanes.UseVector512 && !vectorLanesOnly;

    /// <summary>The same function on <see cref="VectorLanes"/> even where AVX-512 is used (tests of the other width).</summary>
    public LaneActivation<TActivation> WithVectorLanes() => new(tanh, vectorLanesOnly: true);

    /// <summary>Runs <paramref name="kernel"/> specialised for this activation's lane function and the lane width in use.</summary>
    public void Run<TKernel>(ref TKernel kernel)
        where TKernel : struct, ILaneKernel
    {
        if (tanh)
        {
            Run<TKernel, TanhLanes>(ref kernel);
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
