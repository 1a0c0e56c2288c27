using System.Globalization;
using FieldTheory.Experiments;

namespace FieldTheory.Online.Tests;

/// <summary>The verified online setting of DESIGN.md 3.5 (D = 2, tanh teacher, gamma0 = 1, eta = 0.5) with knobs.</summary>
internal static class OnlineExperiments
{
    public static NetworkModel TwoLayerTanh => FieldTheory.Models.BuiltInModels.Catalogue.Get("TwoLayerTanh");

    public static Experiment Verified(int steps, int batch, int sites, int test = 0, bool bias = false, int width = 64, int members = 100) =>
        ExperimentParser.Parse(string.Create(CultureInfo.InvariantCulture, $$"""
            { "model": "TwoLayerTanh",
              "data": { "kind": "gaussian", "dim": 2, "train": 1, "test": {{test}}, "teacher": "tanh", "seed": 3 },
              "online": true, "batch": {{batch}}, "gamma0": 1, "eta": 0.5, "steps": {{steps}},
              "theory": { "sites": {{sites}}, "seed": 5, "bias": {{(bias ? "true" : "false")}} },
              "ensemble": { "width": {{width}}, "members": {{members}}, "seed": 7 } }
            """));
}
