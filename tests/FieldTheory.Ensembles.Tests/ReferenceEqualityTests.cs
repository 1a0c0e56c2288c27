using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Models;

namespace FieldTheory.Ensembles.Tests;

/// <summary>
/// The engine against <see cref="ReferenceNetwork"/>, member by member, at every step: outputs on training and test
/// points, errors, loss, the NTK (against explicit gradients) and the feature kernels, to 1e-12, on both engines (ILGPU
/// and CPU) and their product paths.
/// </summary>
public sealed class ReferenceEqualityTests
{
    private const double Tolerance = 1e-12;

    public static TheoryData<string, bool, long, bool, bool, int> Cases()
    {
        var cases = new TheoryData<string, bool, long, bool, bool, int>();
        foreach (string model in new[] { "TwoLayerTanh", "DeepTanh" })
        {
            foreach (bool centered in new[] { false, true })
            {
                // ILGPU engine: managed and ILGPU products; CPU engine: OpenBLAS and managed products.
                cases.Add(model, centered, BatchedGemm.NeverBlas, false, false, 12);
                cases.Add(model, centered, BatchedGemm.NeverBlas, true, false, 12);
                cases.Add(model, centered, BatchedGemm.DefaultBlasThreshold, false, true, 12);
                cases.Add(model, centered, BatchedGemm.NeverBlas, false, true, 13);
            }
        }

        // Every product through OpenBLAS on the ILGPU engine (when installed; otherwise the managed path again).
        cases.Add("DeepTanh", false, 0, false, false, 12);
        cases.Add("TwoLayerTanh", true, 0, false, false, 12);

        // The CPU engine's fused sweep with the generated activation per lane, a width that leaves padding lanes, and
        // its product path with a non-tanh activation.
        cases.Add("Softplus", false, BatchedGemm.DefaultBlasThreshold, false, true, 13);
        cases.Add("TwoLayerErf", true, BatchedGemm.DefaultBlasThreshold, false, true, 7);
        cases.Add("DeepRelu", false, BatchedGemm.DefaultBlasThreshold, false, true, 13);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EngineEqualsReferenceNetwork(string modelName, bool centered, long blasThreshold, bool ilgpuProducts, bool cpuEngine, int width)
    {
        NetworkModel model = BuiltInModels.Catalogue.Get(modelName);
        const int dimension = 3, members = 3, steps = 4;
        const double gamma0 = 0.8, eta = 0.4;
        const ulong seed = 7;
        double[][] train = [[1.0, -0.5, 0.3], [0.2, 0.9, -1.1], [-0.7, 0.4, 0.8]];
        double[] y = [0.6, -0.4, 0.9];
        double[][] test = [[0.5, 0.5, -0.5], [-1.2, 0.1, 0.3]];
        var data = new Dataset(dimension, [.. train.SelectMany(r => r)], y, [.. test.SelectMany(r => r)], [0.1, -0.2]);
        var settings = new EnsembleSettings(data, gamma0, eta, steps, centered, width, members, seed);

        var references = Enumerable.Range(0, members).Select(m => new ReferenceNetwork(model, width, dimension, gamma0, seed, m)).ToArray();
        double[][] trainInitial = [.. references.Select(r => train.Select(r.Output).ToArray())];
        double[][] testInitial = [.. references.Select(r => test.Select(r.Output).ToArray())];
        int observed = 0;
        void Compare(int n, double[] values, Observables o)
        {
            Assert.Equal(observed++, n);
            for (int m = 0; m < members; m++)
            {
                ReadOnlySpan<double> row = values.AsSpan(m * o.Count, o.Count);
                ReferenceNetwork reference = references[m];
                var delta = new double[train.Length];
                double loss = 0.0;
                for (int mu = 0; mu < train.Length; mu++)
                {
                    double f = reference.Output(train[mu]) - (centered ? trainInitial[m][mu] : 0.0);
                    delta[mu] = y[mu] - f;
                    loss += 0.5 * delta[mu] * delta[mu];
                    Close(f, row[o.F + mu], $"f[{mu}] of member {m} at n = {n}");
                    Close(delta[mu], row[o.Delta + mu], $"Delta[{mu}] of member {m} at n = {n}");
                    double[] gradMu = reference.Gradient(train[mu]);
                    for (int nu = 0; nu < train.Length; nu++)
                    {
                        double[] gradNu = reference.Gradient(train[nu]);
                        double ntk = gamma0 * gamma0 * width * gradMu.Zip(gradNu, (a, b) => a * b).Sum();
                        Close(ntk, row[o.Ntk + (mu * train.Length) + nu], $"K[{mu},{nu}] of member {m} at n = {n}");
                        for (int l = 0; l < model.HiddenLayers; l++)
                        {
                            Close(reference.FeatureKernel(l, train[mu], train[nu]), row[o.Feature + (l * train.Length * train.Length) + (mu * train.Length) + nu], $"Phi^{l + 1}[{mu},{nu}] of member {m} at n = {n}");
                        }
                    }
                }

                Close(loss, row[o.Loss], $"loss of member {m} at n = {n}");
                for (int j = 0; j < test.Length; j++)
                {
                    Close(reference.Output(test[j]) - (centered ? testInitial[m][j] : 0.0), row[o.TestF + j], $"test f[{j}] of member {m} at n = {n}");
                }

                reference.Step(train, delta, eta);
            }
        }

        using ComputeDevice device = ComputeDevice.Create("cpu");
        EnsembleTrainer.Train(model, settings, device, new EnsembleOptions(ComputeDevice.CpuThreads, blasThreshold, ilgpuProducts, Compare, cpuEngine ? EnsembleBackend.Cpu : EnsembleBackend.Ilgpu), null, CancellationToken.None);
        Assert.Equal(steps + 1, observed);
    }

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Max(1.0, Math.Abs(expected)), $"{what}: reference {expected:R}, engine {actual:R}");
}
