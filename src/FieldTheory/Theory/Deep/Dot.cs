using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FieldTheory.Theory.Deep;

/// <summary>
/// Dot product of two equally long spans in a fixed order: four lane sums s_r = sum over k = r (mod 4) of x_k y_k across
/// the whole blocks of four, combined as (s_0 + s_1) + (s_2 + s_3), then the remaining entries in order. The host
/// computes the lanes with one 256-bit vector where available (the same bits as the scalar lanes), and
/// <see cref="DeepKernels"/> repeats the order, so the host and ILGPU backends agree bit for bit: the sampled
/// temporal covariances are nearly singular, and their Cholesky pivots amplify any rounding difference about 10^4-fold.
/// </summary>
internal static class Dot
{
    public const int Lanes = 4;

    public static double Of(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        y = y[..x.Length];
        int blocks = x.Length / Lanes * Lanes;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double xs = ref MemoryMarshal.GetReference(x);
            ref double ys = ref MemoryMarshal.GetReference(y);
            Vector256<double> acc = Vector256<double>.Zero;
            for (int k = 0; k < blocks; k += Lanes)
            {
                acc += Vector256.LoadUnsafe(ref xs, (nuint)k) * Vector256.LoadUnsafe(ref ys, (nuint)k);
            }

            (s0, s1, s2, s3) = (acc.GetElement(0), acc.GetElement(1), acc.GetElement(2), acc.GetElement(3));
        }
        else
        {
            for (int k = 0; k < blocks; k += Lanes)
            {
                s0 += x[k] * y[k];
                s1 += x[k + 1] * y[k + 1];
                s2 += x[k + 2] * y[k + 2];
                s3 += x[k + 3] * y[k + 3];
            }
        }

        double sum = (s0 + s1) + (s2 + s3);
        for (int k = blocks; k < x.Length; k++)
        {
            sum += x[k] * y[k];
        }

        return sum;
    }
}
