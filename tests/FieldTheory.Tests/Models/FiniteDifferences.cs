namespace FieldTheory.Tests.Models;

/// <summary>Eighth-order central finite differences, an independent check of symbolic derivatives.</summary>
internal static class FiniteDifferences
{
    // f'(x) = sum_k c_k (f(x + k s) - f(x - k s)) / s + O(s^8)
    private static readonly double[] Weights = [4.0 / 5.0, -1.0 / 5.0, 4.0 / 105.0, -1.0 / 280.0];

    public const int Reach = 4;

    public static double Derivative(Func<double, double> f, double x, double step)
    {
        double sum = 0.0;
        for (int k = 1; k <= Weights.Length; k++)
        {
            sum += Weights[k - 1] * (f(x + (k * step)) - f(x - (k * step)));
        }

        return sum / step;
    }
}
