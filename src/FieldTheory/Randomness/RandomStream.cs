using System.Runtime.CompilerServices;

namespace FieldTheory.Randomness;

/// <summary>
/// Random numbers addressed by (seed, stream, index): the seed is the Philox key; stream and index form the counter.
/// Compose <c>stream</c> from whatever identifies the draw (for ensembles: member, layer and a purpose tag, see
/// <see cref="StreamId"/>), and <c>index</c> from the position inside it (for a weight matrix: row * columns + column).
/// Value type with no state but the key, usable inside kernels.
/// </summary>
internal readonly struct RandomStream(ulong seed)
{
    private readonly uint _k0 = (uint)seed;
    private readonly uint _k1 = (uint)(seed >> 32);

    private const double TwoPi = 6.283185307179586;
    private const double Inv53 = 1.0 / 9007199254740992.0; // 2^-53

    /// <summary>A uniform number in (0, 1), never 0 or 1, with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Uniform(ulong stream, ulong index)
    {
        (uint a, uint b, _, _) = Philox.Block((uint)index, (uint)(index >> 32), (uint)stream, (uint)(stream >> 32), _k0, _k1);
        return ToOpenUnit(a, b);
    }

    /// <summary>A standard normal number: Box-Muller on the four words of one Philox block.</summary>
    /// <remarks>Index i uses the block (i, stream) and its cosine branch, so every index is independent.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Normal(ulong stream, ulong index)
    {
        (uint a, uint b, uint c, uint d) = Philox.Block((uint)index, (uint)(index >> 32), (uint)stream, (uint)(stream >> 32), _k0, _k1);
        double u1 = ToOpenUnit(a, b);
        double u2 = ToOpenUnit(c, d);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(TwoPi * u2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ToOpenUnit(uint high, uint low)
    {
        ulong bits = (((ulong)high << 21) ^ low) & ((1UL << 53) - 1);
        return (bits + 0.5) * Inv53;
    }
}

/// <summary>Packs (member, layer, purpose) into a 64-bit stream id: 32 bits member, 16 bits layer, 16 bits purpose.</summary>
internal static class StreamId
{
    /// <summary>The stream of one member's layer for one purpose (weights, readout, data, ...).</summary>
    public static ulong Of(int member, int layer, int purpose) =>
        ((ulong)(uint)member << 32) | ((ulong)(ushort)layer << 16) | (ushort)purpose;
}
