namespace FieldTheory.Fluctuations.DeepNonlinear;

/// <summary>
/// The discrete-time site equation of one hidden layer (DESIGN.md 3.2) with its neighbours' order parameters fixed, P = 1,
/// over steps n = 0..T (S = T + 1):
/// <code>
/// h(n) = u(n) + j_h(n) + sum_{m&lt;n}  Kh(n, m) g(m),   Kh(n, m) = c A^{l-1}(n, m) + c Delta(m) Phi^{l-1}(n, m)
/// z(n) = r(n) + j_z(n) + sum_{m&lt;=n} Kz(n, m) phi(h(m)), Kz(n, m) = c B^l(n, m) + [m &lt; n] c Delta(m) G^{l+1}(n, m)
/// g(n) = phi'(h(n)) z(n)
/// </code>
/// with c = eta gamma0. The kernels Phi^{l-1} (<see cref="FeatureKernel"/>) and G^{l+1} (<see cref="BackwardKernel"/>)
/// are kept separately because the propagator differentiates the memory terms with respect to them and to Delta.
/// </summary>
/// <param name="Size">S = T + 1.</param>
/// <param name="C">c = eta gamma0.</param>
/// <param name="Delta">Delta(m) at the saddle.</param>
/// <param name="FeatureMemory">Kh, S x S row-major (strictly lower).</param>
/// <param name="BackwardMemory">Kz, S x S row-major (lower, equal-time B term included).</param>
/// <param name="FeatureKernel">Phi^{l-1}(n, m), S x S.</param>
/// <param name="BackwardKernel">G^{l+1}(n, m), S x S.</param>
/// <param name="Active">The source families whose derivatives (to third order, mixed included) the propagator needs.</param>
internal sealed record LayerEquation(
    int Size,
    double C,
    double[] Delta,
    double[] FeatureMemory,
    double[] BackwardMemory,
    double[] FeatureKernel,
    double[] BackwardKernel,
    SourceDirections Active)
{
    /// <summary>
    /// Builds the equation from the responses and kernels: <paramref name="responseBelow"/> = A^{l-1},
    /// <paramref name="responseHere"/> = B^l (DESIGN.md 3.2 normalisation, with the factor 1/c).
    /// </summary>
    public static LayerEquation Create(int size, double c, double[] delta, double[] responseBelow, double[] kernelBelow,
        double[] responseHere, double[] kernelAbove, SourceDirections active)
    {
        var kh = new double[size * size];
        var kz = new double[size * size];
        for (int n = 0; n < size; n++)
        {
            for (int m = 0; m <= n; m++)
            {
                int k = n * size + m;
                if (m < n)
                {
                    kh[k] = c * (responseBelow[k] + delta[m] * kernelBelow[k]);
                    kz[k] = c * (responseHere[k] + delta[m] * kernelAbove[k]);
                }
                else
                {
                    kz[k] = c * responseHere[k];
                }
            }
        }

        return new LayerEquation(size, c, delta, kh, kz, kernelBelow, kernelAbove, active);
    }
}
