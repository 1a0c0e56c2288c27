using System.Collections.Generic;
using System.Linq;
using FieldTheory.Generators.Diagnostics;
using FieldTheory.Generators.Specs;

namespace FieldTheory.Generators.Emitting
{
    /// <summary>
    /// Emits one registry per assembly listing its models, and the assembly attribute through which the runtime's
    /// <c>ModelCatalogue</c> finds it. Reports models whose names collide.
    /// </summary>
    internal static class RegistryEmitter
    {
        public const string HintName = "FieldTheory.NetworkModelRegistry.g.cs";

        public static (string? Source, IReadOnlyList<DiagnosticInfo> Diagnostics) Emit(IEnumerable<RegistryEntry> entries)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var seen = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
            var unique = new List<RegistryEntry>();
            foreach (RegistryEntry entry in entries.OrderBy(e => e.FullTypeName, System.StringComparer.Ordinal))
            {
                if (seen.Add(entry.TypeName))
                {
                    unique.Add(entry);
                }
                else
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateModelName, entry.Location, entry.TypeName));
                }
            }

            if (unique.Count == 0)
            {
                return (null, diagnostics);
            }

            var w = new SourceWriter();
            GeneratedFile.Header(w);
            w.Line("[assembly: global::FieldTheory.NetworkModels(typeof(global::FieldTheory.Generated.NetworkModelRegistry))]");
            w.Line();
            w.Open("namespace FieldTheory.Generated");
            w.Line("/// <summary>The network models declared in this assembly, ordered by full type name.</summary>");
            w.Open("internal sealed class NetworkModelRegistry : global::FieldTheory.INetworkModelProvider");
            w.Line("/// <inheritdoc />");
            w.Open("public global::System.Collections.Generic.IReadOnlyList<global::FieldTheory.NetworkModel> Models { get; } = new global::FieldTheory.NetworkModel[]");
            foreach (RegistryEntry entry in unique)
            {
                w.Line("global::" + entry.FullTypeName + ".Model,");
            }

            w.Close(";");
            w.Close();
            w.Close();
            return (w.ToString(), diagnostics);
        }
    }
}
