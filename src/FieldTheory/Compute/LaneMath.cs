using System.Runtime.CompilerServices;

namespace FieldTheory.Compute;

/// <summary>
/// The functions of the compiler's IR (DESIGN.md 6.2) on SIMD lanes, for the activation code the generator emits
/// (<see cref="IActivation.Lanes{TLanes}(TLanes, out TLanes, out TLanes)"/>). exp by <see cref="LaneExp"/> (within an ulp
/// of <see cref="Math.Exp"/>, the same bits at every width), log and sqrt by the runtime (log within 2 ulps), tanh by
/// <see cref="LaneTanh"/> (within 4 ulps), erf by <see cref="LaneErf"/> (the scalar pieces, exp by <see cref="LaneExp"/>);
/// the rest call the scalar function lane by lane,
/// so a model that uses them is still exact where the scalar code is and vectorised everywhere else.
/// </summary>
public static class LaneMath
{
    /// <summary>e^x (<see cref="LaneExp"/>: the same bits at every lane width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes Exp<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes> => LaneExp.Exp(x);

    /// <summary>ln x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes Log<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes> => TLanes.Log(x);

    /// <summary>The square root.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes Sqrt<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes> => TLanes.Sqrt(x);

    /// <summary>tanh x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes Tanh<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes> => LaneTanh.Tanh(x);

    /// <summary>sinh x, lane by lane (<see cref="Math.Sinh"/>).</summary>
    public static TLanes Sinh<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes> => PerLane<TLanes, SinhFunction>(x);

    /// <summary>cosh x, lane by lane (<see cref="Math.Cosh"/>).</summary>
    public static TLanes Cosh<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes> => PerLane<TLanes, CoshFunction>(x);

    /// <summary>sin x, lane by lane (<see cref="Math.Sin"/>).</summary>
    public static TLanes Sin<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes> => PerLane<TLanes, SinFunction>(x);

    /// <summary>cos x, lane by lane (<see cref="Math.Cos"/>).</summary>
    public static TLanes Cos<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes> => PerLane<TLanes, CosFunction>(x);

    /// <summary>atan x, lane by lane (<see cref="Math.Atan"/>).</summary>
    public static TLanes Atan<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes> => PerLane<TLanes, AtanFunction>(x);

    /// <summary>erf x (<see cref="LaneErf"/>: the pieces of <see cref="SpecialFunctions.Erf"/> on lanes).</summary>
    public static TLanes Erf<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes> => LaneErf.Erf(x);

    /// <summary>x^<paramref name="exponent"/>, lane by lane (<see cref="Math.Pow"/>: negative x with an integer exponent is defined).</summary>
    public static TLanes Pow<TLanes>(TLanes x, double exponent)
        where TLanes : struct, ILanes<TLanes>
    {
        Span<double> values = stackalloc double[TLanes.Count];
        for (int lane = 0; lane < values.Length; lane++)
        {
            values[lane] = Math.Pow(x[lane], exponent);
        }

        return TLanes.Load(ref values[0], 0);
    }

    private static TLanes PerLane<TLanes, TFunction>(TLanes x)
        where TLanes : struct, ILanes<TLanes>
        where TFunction : struct, IScalarFunction
    {
        Span<double> values = stackalloc double[TLanes.Count];
        for (int lane = 0; lane < values.Length; lane++)
        {
            values[lane] = TFunction.Apply(x[lane]);
        }

        return TLanes.Load(ref values[0], 0);
    }

    private interface IScalarFunction
    {
        static abstract double Apply(double x);
    }

    private readonly struct SinhFunction : IScalarFunction
    {
        public static double Apply(double x) => Math.Sinh(x);
    }

    private readonly struct CoshFunction : IScalarFunction
    {
        public static double Apply(double x) => Math.Cosh(x);
    }

    private readonly struct SinFunction : IScalarFunction
    {
        public static double Apply(double x) => Math.Sin(x);
    }

    private readonly struct CosFunction : IScalarFunction
    {
        public static double Apply(double x) => Math.Cos(x);
    }

    private readonly struct AtanFunction : IScalarFunction
    {
        public static double Apply(double x) => Math.Atan(x);
    }
}
