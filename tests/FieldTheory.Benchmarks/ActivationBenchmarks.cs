using BenchmarkDotNet.Attributes;
using FieldTheory.Models;

namespace FieldTheory.Benchmarks;

/// <summary>
/// The compiler's hot path: phi and its three derivatives at 4096 points. Baseline: what one does without symbolic
/// derivatives, central finite differences of phi (4-point stencils, 8 evaluations per derivative). Also the same
/// formulas written out by hand with a tanh call in every term (the JIT may share those calls itself). The generated
/// jet evaluates tanh once (DESIGN.md 6.2).
/// </summary>
[MemoryDiagnoser]
public class ActivationBenchmarks
{
    // Central-difference weights of the 9-point stencils for the first, second and third derivative.
    private static readonly double[] FirstWeights = [4.0 / 5, -1.0 / 5, 4.0 / 105, -1.0 / 280];
    private static readonly double[] SecondWeights = [8.0 / 5, -1.0 / 5, 8.0 / 315, -1.0 / 560];
    private static readonly double[] ThirdWeights = [-61.0 / 30, 169.0 / 120, -3.0 / 10, 7.0 / 240];

    private readonly double[] _points = [.. Enumerable.Range(0, 4096).Select(i => -4.0 + (8.0 * i / 4096))];

    [Benchmark(Baseline = true)]
    public double FiniteDifferenceDerivatives()
    {
        const double s = 1e-2;
        double sum = 0.0;
        foreach (double h in _points)
        {
            double d1 = 0, d2 = 0, d3 = 0;
            for (int k = 1; k <= 4; k++)
            {
                double plus = Math.Tanh(h + (k * s));
                double minus = Math.Tanh(h - (k * s));
                d1 += FirstWeights[k - 1] * (plus - minus);
                d2 += SecondWeights[k - 1] * (plus + minus);
                d3 += ThirdWeights[k - 1] * (plus - minus);
            }

            double phi = Math.Tanh(h);
            sum += phi + (d1 / s) + ((d2 - (205.0 / 72 * phi)) / (s * s)) + (d3 / (s * s * s));
        }

        return sum;
    }

    [Benchmark]
    public double HandWrittenSeparateFormulas()
    {
        double sum = 0.0;
        foreach (double h in _points)
        {
            double phi = Math.Tanh(h);
            double d1 = 1 - (Math.Tanh(h) * Math.Tanh(h));
            double d2 = -2 * Math.Tanh(h) * (1 - (Math.Tanh(h) * Math.Tanh(h)));
            double d3 = (-2 * (1 - (Math.Tanh(h) * Math.Tanh(h))) * (1 - (Math.Tanh(h) * Math.Tanh(h))))
                + (4 * Math.Tanh(h) * Math.Tanh(h) * (1 - (Math.Tanh(h) * Math.Tanh(h))));
            sum += phi + d1 + d2 + d3;
        }

        return sum;
    }

    [Benchmark]
    public double GeneratedJet()
    {
        double sum = 0.0;
        TwoLayerTanh.Activation activation = default;
        foreach (double h in _points)
        {
            ActivationJet jet = activation.Jet(h);
            sum += jet.Value + jet.D1 + jet.D2 + jet.D3;
        }

        return sum;
    }

    [Benchmark]
    public double GeneratedGeluJet()
    {
        double sum = 0.0;
        Gelu.Activation activation = default;
        foreach (double h in _points)
        {
            ActivationJet jet = activation.Jet(h);
            sum += jet.Value + jet.D1 + jet.D2 + jet.D3;
        }

        return sum;
    }
}
