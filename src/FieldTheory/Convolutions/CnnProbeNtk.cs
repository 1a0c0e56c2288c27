namespace FieldTheory.Convolutions;

/// <summary>
/// The exact neural tangent kernel of one member on Q probe images, from its layer activations and backward fields
/// (no finite differences), with the normalisation of the MLP ensembles (DESIGN.md section 2):
/// <code>
///   K_{(q,c),(q',c')} = gamma0^2 N sum_theta df_c(x_q)/dtheta df_c'(x_q')/dtheta
/// </code>
/// so that under the engine's update theta &lt;- theta - eta gamma0^2 N grad L one full-batch step changes the outputs by
/// f_c(x, t+1) - f_c(x, t) = eta sum_mu sum_c' K_{(x,c),(mu,c')} Delta_mu,c' + O(eta^2). The gradient of f_c(x_q) is
/// (1/sqrt(C_l k_l^2)) e^{l+1}_q *' phi(h^l_q) for W^l, with e = df_c/dh the backward field of a unit error on output c
/// (<see cref="CnnPass{TActivation}.Fields"/>), and GAP(phi(h^L_q)) / (gamma0 N) for w_c. The Jacobian rows are formed
/// per image and output ((Q C) x parameters doubles in <see cref="CnnWorkspace.Jacobian"/>), then K = gamma0^2 N J J^T.
/// </summary>
internal static class CnnProbeNtk<TActivation>
    where TActivation : struct, IActivation
{
    /// <summary>
    /// K on the first <paramref name="probe"/> rows of <paramref name="x"/>, (Q C) x (Q C) row-major with row q C + c, into
    /// <paramref name="kernel"/> from <paramref name="offset"/>. Overwrites the workspace's batch.
    /// </summary>
    public static void Compute(CnnArchitecture architecture, MapShape[] shapes, CnnParameters parameters, CnnWorkspace ws, double[] x, int probe, double gamma0, bool useBlas, double[] kernel, int offset)
    {
        IReadOnlyList<ConvolutionLayer> convs = architecture.Convolutions;
        int outputs = parameters.Outputs, rows = probe * outputs, count = parameters.Count, n = architecture.Width;
        CnnPass<TActivation>.LoadBatch(x, shapes[0], Enumerable.Range(0, probe).ToArray(), ws);
        CnnPass<TActivation>.Forward(architecture, shapes, parameters, ws, probe, gamma0, useBlas);
        double[] jacobian = ws.Jacobian;
        Array.Clear(jacobian, 0, rows * count);
        int readoutStart = count - parameters.Readout.Length;
        for (int c = 0; c < outputs; c++)
        {
            Array.Clear(ws.UnitSignal);
            for (int q = 0; q < probe; q++)
            {
                ws.UnitSignal[(q * outputs) + c] = 1.0;
            }

            CnnPass<TActivation>.Fields(architecture, shapes, parameters, ws, probe, ws.UnitSignal, gamma0, useBlas);
            for (int q = 0; q < probe; q++)
            {
                int row = ((q * outputs) + c) * count;
                int start = row;
                for (int l = 0; l < convs.Count; l++)
                {
                    int fanIn = CnnParameters.FanIn(shapes[l], convs[l]);
                    int positions = shapes[l + 1].Positions, width = probe * positions;
                    CnnGemm.Run(
                        useBlas, false, true, convs[l].Channels, fanIn, positions, 1.0 / Math.Sqrt(fanIn),
                        new CnnGemm.Strided(ws.Backward[l], q * positions, width),
                        new CnnGemm.Strided(ws.Columns[l], q * positions, width),
                        0.0,
                        new CnnGemm.Strided(jacobian, start, fanIn));
                    start += convs[l].Channels * fanIn;
                }

                for (int i = 0; i < n; i++)
                {
                    jacobian[row + readoutStart + (c * n) + i] = ws.Pooled[(q * n) + i] / (gamma0 * n);
                }
            }
        }

        CnnGemm.Run(
            useBlas, false, true, rows, rows, count, gamma0 * gamma0 * n,
            new CnnGemm.Strided(jacobian, 0, count),
            new CnnGemm.Strided(jacobian, 0, count),
            0.0,
            new CnnGemm.Strided(kernel, offset, rows));
    }
}
