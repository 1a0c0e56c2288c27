using FieldTheory.Data;
using FieldTheory.Results;

namespace FieldTheory.Ensembles.Tests;

/// <summary>Counter-based weights and fixed summation orders: the same seed gives the same numbers on any thread count.</summary>
public sealed class DeterminismTests
{
    private static readonly Dataset Data = new(2, [1.0, 0.5, -0.3, 1.2], [0.7, -0.2], [0.4, -0.4], [0.1]);

    /// <summary>ILGPU products (ILGPU engine), and the CPU engine's product path (deep) and fused sweep (two-layer).</summary>
    [Theory]
    [InlineData("DeepTanh", true)]
    [InlineData("DeepTanh", false)]
    [InlineData("TwoLayerTanh", false)]
    public void OneThreadAndManyThreadsGiveIdenticalNumbers(string model, bool ilgpuProducts)
    {
        string one = Json(Ensembles.Train(model, Data, 1.0, 0.3, 5, width: 24, members: 6, seed: 11, threads: 1, ilgpuProducts: ilgpuProducts));
        string many = Json(Ensembles.Train(model, Data, 1.0, 0.3, 5, width: 24, members: 6, seed: 11, threads: 13, ilgpuProducts: ilgpuProducts));
        Assert.Equal(one, many);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentNetworks()
    {
        EnsembleResult a = Ensembles.Train("TwoLayerTanh", Data, 1.0, 0.3, 1, width: 16, members: 4, seed: 1);
        EnsembleResult b = Ensembles.Train("TwoLayerTanh", Data, 1.0, 0.3, 1, width: 16, members: 4, seed: 2);
        Assert.NotEqual(a.Mean.F[0][0], b.Mean.F[0][0]);
    }

    private static string Json(EnsembleResult e) =>
        ResultJson.Serialize(new ExperimentResult("m", 3, "d", 1, 0.3, 5, [], Convention.Standard(false), e with { Device = string.Empty }, null, null, "t"));
}
