using System;

// Compiled twice, like SpecialFunctions.cs (into the runtime and into the generator).
#if FIELDTHEORY_GENERATOR
namespace FieldTheory.Generators.Symbolic
#else
namespace FieldTheory
#endif
{
#if FIELDTHEORY_GENERATOR
internal
#else
public
#endif
static partial class SpecialFunctions
{
    // The polynomials of erf and erfc, fitted once with mpmath at 60 digits (Chebyshev fits, then expanded; every
    // coefficient rounded to double). Plain arithmetic only, so that ILGPU kernels can run them.

    // erf(x) / x for |x| < 1/2 as a polynomial in t = x^2: the Taylor series 2/sqrt(pi) sum_n (-1)^n t^n / (n! (2n + 1))
    // to n = 12 (the first term left out is below 1e-19 of the sum).
    private static double ErfOverXNearZero(double t)
    {
        double p = 9.422759064650411e-11;
        p = -1.2290555301717928e-09 + (t * p);
        p = 1.4807192815879218e-08 + (t * p);
        p = -1.6365844691234924e-07 + (t * p);
        p = 1.6462114365889248e-06 + (t * p);
        p = -1.492565035840625e-05 + (t * p);
        p = 0.00012055332981789664 + (t * p);
        p = -0.0008548327023450853 + (t * p);
        p = 0.005223977625442188 + (t * p);
        p = -0.026866170645131252 + (t * p);
        p = 0.11283791670955126 + (t * p);
        p = -0.37612638903183754 + (t * p);
        p = 1.1283791670955126 + (t * p);
        return p;
    }

    // R(a) = exp(a^2) erfc(a) for 1/2 <= a < 13/2, smooth and slowly varying (0.62 down to 0.086): on each unit interval
    // [k - 1/2, k + 1/2) a polynomial in u = 2 (a - k), of degree 17, 15, 14, 13, 13, 12 for k = 1..6, relative error below
    // 4e-18 (checked at 2001 points per interval); the sum of the coefficients' magnitudes is at most 1.9 R, so Horner
    // loses under one bit.
    private static double ScaledErfc(double a)
    {
        int k = (int)(a + 0.5);
        double u = 2.0 * (a - k);
        if (k == 1)
        {
            double r = -2.986615905543666e-13;
            r = 2.1033681858846656e-12 + (u * r);
            r = -1.3119944895310412e-11 + (u * r);
            r = 8.752691998398392e-11 + (u * r);
            r = -5.707871626603288e-10 + (u * r);
            r = 3.6021995098915975e-09 + (u * r);
            r = -2.204290098630261e-08 + (u * r);
            r = 1.3053004128102987e-07 + (u * r);
            r = -7.460049472944939e-07 + (u * r);
            r = 4.102614914773928e-06 + (u * r);
            r = -2.1633318559382548e-05 + (u * r);
            r = 0.00010890847459472877 + (u * r);
            r = -0.0005206834090756343 + (u * r);
            r = 0.002348268513457043 + (u * r);
            r = -0.009903371117665836 + (u * r);
            r = 0.03859289034297706 + (u * r);
            r = -0.13660600739194928 + (u * r);
            r = 0.427583576155807 + (u * r);
            return r;
        }
        else if (k == 2)
        {
            double r = -1.9033636990697056e-13;
            r = 1.5160272935021e-12 + (u * r);
            r = -1.1058526000684964e-11 + (u * r);
            r = 8.404283801320744e-11 + (u * r);
            r = -6.247818225931442e-10 + (u * r);
            r = 4.519830409242737e-09 + (u * r);
            r = -3.182366316899901e-08 + (u * r);
            r = 2.1768867130101744e-07 + (u * r);
            r = -1.4435809953220756e-06 + (u * r);
            r = 9.257343692396391e-06 + (u * r);
            r = -5.7239508616599194e-05 + (u * r);
            r = 0.0003400461585900975 + (u * r);
            r = -0.0019325797205363864 + (u * r);
            r = 0.010450688150881729 + (u * r);
            r = -0.0533982309267448 + (u * r);
            r = 0.25539567631050575 + (u * r);
            return r;
        }
        else if (k == 3)
        {
            double r = 4.583046030022841e-14;
            r = -4.224422067907684e-13 + (u * r);
            r = 3.653798701754695e-12 + (u * r);
            r = -3.242724720932472e-11 + (u * r);
            r = 2.82489183161646e-10 + (u * r);
            r = -2.408942255663524e-09 + (u * r);
            r = 2.010326692065232e-08 + (u * r);
            r = -1.639801825214882e-07 + (u * r);
            r = 1.3055334318882397e-06 + (u * r);
            r = -1.0128923267329751e-05 + (u * r);
            r = 7.643994077353282e-05 + (u * r);
            r = -0.0005599288772964048 + (u * r);
            r = 0.003971092789967835 + (u * r);
            r = -0.02718613000358644 + (u * r);
            r = 0.17900115118138996 + (u * r);
            return r;
        }
        else if (k == 4)
        {
            double r = -2.4982415622273622e-14;
            r = 2.6513378757554497e-13 + (u * r);
            r = -2.6861729102289923e-12 + (u * r);
            r = 2.7656838762380144e-11 + (u * r);
            r = -2.8046249831078816e-10 + (u * r);
            r = 2.7970609728164088e-09 + (u * r);
            r = -2.742473920775283e-08 + (u * r);
            r = 2.641507669903252e-07 + (u * r);
            r = -2.4971525095893316e-06 + (u * r);
            r = 2.3147029312666403e-05 + (u * r);
            r = -0.00021014775959326176 + (u * r);
            r = 0.001866358311243865 + (u * r);
            r = -0.016191753047510728 + (u * r);
            r = 0.13699945762506138 + (u * r);
            return r;
        }
        else if (k == 5)
        {
            double r = -2.1946871031015308e-15;
            r = 2.6918094531518382e-14 + (u * r);
            r = -3.1876001649757847e-13 + (u * r);
            r = 3.818724689523734e-12 + (u * r);
            r = -4.5209983085453995e-11 + (u * r);
            r = 5.284914034115539e-10 + (u * r);
            r = -6.098687086758264e-09 + (u * r);
            r = 6.944272400995462e-08 + (u * r);
            r = -7.798088615740799e-07 + (u * r);
            r = 8.631401306303595e-06 + (u * r);
            r = -9.411210167841093e-05 + (u * r);
            r = 0.0010101722272342667 + (u * r);
            r = -0.010666394882413156 + (u * r);
            r = 0.11070463773306863 + (u * r);
            return r;
        }
        else
        {
            double r = 3.673541667158516e-15;
            r = -5.092738940759993e-14 + (u * r);
            r = 6.875974684298576e-13 + (u * r);
            r = -9.352753011784136e-12 + (u * r);
            r = 1.259993023326124e-10 + (u * r);
            r = -1.6803604238497879e-09 + (u * r);
            r = 2.2180305515425946e-08 + (u * r);
            r = -2.8968870314256046e-07 + (u * r);
            r = 3.7424281062951377e-06 + (u * r);
            r = -4.7806024308836576e-05 + (u * r);
            r = 0.0006036117165561067 + (u * r);
            r = -0.00753017674452616 + (u * r);
            r = 0.09277656780053835 + (u * r);
            return r;
        }
    }
}
}
