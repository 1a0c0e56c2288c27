namespace FieldTheory.Fluctuations.DeepNonlinear;

/// <summary>
/// The discrete-time site equation of one hidden layer (DESIGN.md 3.2) with its neighbours' order parameters fixed, over
/// the time-major positions i = n P + mu of P training points and steps n = 0..T (S = P (T + 1)), time(i) = i / P:
/// <code>
/// h(i) = u(i) + j_h(i) + sum_{time(j) &lt; time(i)}  Kh(i, j) g(j),   Kh(i, j) = c A^{l-1}(i, j) + c Delta(j) Phi^{l-1}(i, j)
/// z(i) = r(i) + j_z(i) + sum_{time(j) &lt;= time(i)} Kz(i, j) phi(h(j)), Kz(i, j) = c B^l(i, j) + [time(j) &lt; time(i)] c Delta(j) G^{l+1}(i, j)
/// g(i) = phi'(h(i)) z(i)
/// </code>
/// with c = eta gamma0. z at time n reads phi at every point of time n (the equal-time B term), so a step computes h and
/// phi at all its points before z and g. The kernels Phi^{l-1} (<see cref="FeatureKernel"/>) and G^{l+1} (<see cref="BackwardKernel"/>)
/// are kept separately because the propagator differentiates the memory terms with respect to them and to Delta.
/// </summary>
/// <param name="Size">S = P (T + 1).</param>
/// <param name="Points">P, the training points.</param>
/// <param name="C">c = eta gamma0.</param>
/// <param name="Delta">Delta(j) at the saddle, over positions.</param>
/// <param name="FeatureMemory">Kh, S x S row-major (strictly block lower: earlier steps only).</param>
/// <param name="BackwardMemory">Kz, S x S row-major (block lower, equal-time B block included).</param>
/// <param name="FeatureKernel">Phi^{l-1}(i, j), S x S.</param>
/// <param name="BackwardKernel">G^{l+1}(i, j), S x S.</param>
/// <param name="Active">The source families whose derivatives (to third order, mixed included) the propagator needs.</param>
internal sealed record LayerEquation(
    int Size,
    int Points,
    double C,
    double[] Delta,
    double[] FeatureMemory,
    double[] BackwardMemory,
    double[] FeatureKernel,
    double[] BackwardKernel,
    SourceDirections Active)
{
    /// <summary>The first position of the step of position <paramref name="i"/>: positions before it are strictly earlier in time.</summary>
    public int StepStart(int i) => i / Points * Points;

    /// <summary>The first position after the step of position <paramref name="i"/>.</summary>
    public int StepEnd(int i) => StepStart(i) + Points;

    /// <summary>
    /// Builds the equation from the responses and kernels: <paramref name="responseBelow"/> = A^{l-1},
    /// <paramref name="responseHere"/> = B^l (DESIGN.md 3.2 normalisation, with the factor 1/c).
    /// </summary>
    public static LayerEquation Create(int size, int points, double c, double[] delta, double[] responseBelow, double[] kernelBelow,
        double[] responseHere, double[] kernelAbove, SourceDirections active)
    {
        var kh = new double[size * size];
        var kz = new double[size * size];
        for (int i = 0; i < size; i++)
        {
            int start = i / points * points;
            for (int j = 0; j < start + points; j++)
            {
                int k = i * size + j;
                if (j < start)
                {
                    kh[k] = c * (responseBelow[k] + delta[j] * kernelBelow[k]);
                    kz[k] = c * (responseHere[k] + delta[j] * kernelAbove[k]);
                }
                else
                {
                    kz[k] = c * responseHere[k];
                }
            }
        }

        return new LayerEquation(size, points, c, delta, kh, kz, kernelBelow, kernelAbove, active);
    }
}
