using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FieldTheory.Compute;
using FieldTheory.Models;

namespace FieldTheory.Benchmarks;

/// <summary>
/// phi and phi' at 4096 points on the widest SIMD lanes, as the CPU loops of the two-layer theory and the ensembles
/// evaluate them: the generated SIMD form (<see cref="IActivation.Lanes{TLanes}(TLanes, out TLanes, out TLanes)"/>)
/// against the baseline in the same run, the scalar jet lane by lane (what every activation but tanh took before the
/// generator emitted SIMD forms). One category per activation, each with its own baseline.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ActivationLaneBenchmarks
{
    private readonly double[] _points = [.. Enumerable.Range(0, 4096).Select(i => -4.0 + (8.0 * i / 4096))];
    private readonly double[] _phi = new double[4096];
    private readonly double[] _slope = new double[4096];

    [Benchmark(Baseline = true), BenchmarkCategory("ReLU")]
    public void ReluScalarJetPerLane() => Evaluate<JetLanes<TwoLayerRelu.Activation>>();

    [Benchmark, BenchmarkCategory("ReLU")]
    public void ReluGeneratedLanes() => Evaluate<GeneratedLanes<TwoLayerRelu.Activation>>();

    [Benchmark(Baseline = true), BenchmarkCategory("softplus")]
    public void SoftplusScalarJetPerLane() => Evaluate<JetLanes<Softplus.Activation>>();

    [Benchmark, BenchmarkCategory("softplus")]
    public void SoftplusGeneratedLanes() => Evaluate<GeneratedLanes<Softplus.Activation>>();

    [Benchmark(Baseline = true), BenchmarkCategory("tanh")]
    public void TanhScalarJetPerLane() => Evaluate<JetLanes<TwoLayerTanh.Activation>>();

    [Benchmark, BenchmarkCategory("tanh")]
    public void TanhGeneratedLanes() => Evaluate<GeneratedLanes<TwoLayerTanh.Activation>>();

    private void Evaluate<TFunction>()
        where TFunction : struct, ILaneFunction
    {
        if (Lanes.UseVector512)
        {
            Evaluate<TFunction, Vector512Lanes>();
        }
        else
        {
            Evaluate<TFunction, VectorLanes>();
        }
    }

    private void Evaluate<TFunction, TLanes>()
        where TFunction : struct, ILaneFunction
        where TLanes : struct, ILanes<TLanes>
    {
        for (int i = 0; i + TLanes.Count <= _points.Length; i += TLanes.Count)
        {
            TFunction.Apply(TLanes.Load(ref _points[i], (nuint)0), out TLanes phi, out TLanes dphi);
            phi.Store(ref _phi[i], 0);
            dphi.Store(ref _slope[i], 0);
        }
    }
}
