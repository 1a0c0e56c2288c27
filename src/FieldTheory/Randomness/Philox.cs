using System.Runtime.CompilerServices;

namespace FieldTheory.Randomness;

/// <summary>
/// Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a counter-based generator,
/// so the numbers depend only on (key, counter), never on thread count, launch order or device (DESIGN.md section 5).
/// Plain integer arithmetic only: the same code runs in ILGPU kernels on the CPU and on GPUs.
/// </summary>
internal static class Philox
{
    private const uint M0 = 0xD2511F53;
    private const uint M1 = 0xCD9E8D57;
    private const uint W0 = 0x9E3779B9;
    private const uint W1 = 0xBB67AE85;

    /// <summary>Four independent 32-bit words for counter (c0..c3) under key (k0, k1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint X0, uint X1, uint X2, uint X3) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (int round = 0; round < 10; round++)
        {
            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            uint n1 = (uint)p1;
            uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            uint n3 = (uint)p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += W0;
            k1 += W1;
        }

        return (c0, c1, c2, c3);
    }
}
