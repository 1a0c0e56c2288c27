using System.Collections.Immutable;
using System.Linq;
using FieldTheory.Generators.Emitting;
using FieldTheory.Generators.Parsing;
using FieldTheory.Generators.Specs;
using FieldTheory.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FieldTheory.Generators
{
    /// <summary>
    /// Compiles [Network] declarations into activation calculus, metadata and a model catalogue (DESIGN.md 6.2).
    /// Pipeline: find declarations -> parse to a value-equatable spec -> symbolic passes -> emit; diagnostics flow
    /// through their own outputs so that a change in one does not invalidate the other.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class NetworkGenerator : IIncrementalGenerator
    {
        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    NetworkParser.NetworkAttributeName,
                    predicate: static (node, _) => node is TypeDeclarationSyntax,
                    transform: static (ctx, ct) => NetworkParser.Parse(ctx, ct))
                .WithTrackingName(TrackingNames.Parse);

            context.RegisterSourceOutput(
                parsed.SelectMany(static (r, _) => r.Diagnostics).WithTrackingName(TrackingNames.ParseDiagnostics),
                static (spc, diagnostic) => spc.ReportDiagnostic(diagnostic.ToDiagnostic()));

            IncrementalValuesProvider<NetworkSpec> specs = parsed
                .Where(static r => r.Spec is not null)
                .Select(static (r, _) => r.Spec!)
                .WithTrackingName(TrackingNames.Specs);

            IncrementalValuesProvider<CompileResult> compiled = specs
                .Select(static (spec, _) => ActivationCompiler.Compile(spec))
                .WithTrackingName(TrackingNames.Compile);

            context.RegisterSourceOutput(
                compiled.SelectMany(static (r, _) => r.Diagnostics).WithTrackingName(TrackingNames.CompileDiagnostics),
                static (spc, diagnostic) => spc.ReportDiagnostic(diagnostic.ToDiagnostic()));

            IncrementalValuesProvider<CompiledNetwork> networks = compiled
                .Where(static r => r.Network is not null)
                .Select(static (r, _) => r.Network!)
                .WithTrackingName(TrackingNames.Networks);

            context.RegisterSourceOutput(networks, static (spc, network) =>
                spc.AddSource(NetworkEmitter.HintName(network), NetworkEmitter.Emit(network)));

            IncrementalValueProvider<ImmutableArray<RegistryEntry>> entries = networks
                .Select(static (n, _) => new RegistryEntry(n.Spec.FullTypeName, n.Spec.TypeName, n.Spec.TypeLocation))
                .WithTrackingName(TrackingNames.RegistryEntries)
                .Collect();

            context.RegisterSourceOutput(entries, static (spc, list) =>
            {
                (string? source, var diagnostics) = RegistryEmitter.Emit(list);
                foreach (DiagnosticInfo diagnostic in diagnostics)
                {
                    spc.ReportDiagnostic(diagnostic.ToDiagnostic());
                }

                if (source is not null)
                {
                    spc.AddSource(RegistryEmitter.HintName, source);
                }
            });

            ConvolutionalPipeline.Register(context);
        }
    }

    /// <summary>Names of the tracked pipeline steps (for incrementality tests).</summary>
    public static class TrackingNames
    {
        /// <summary>Declaration to spec.</summary>
        public const string Parse = nameof(Parse);

        /// <summary>Diagnostics found while parsing.</summary>
        public const string ParseDiagnostics = nameof(ParseDiagnostics);

        /// <summary>Valid specs.</summary>
        public const string Specs = nameof(Specs);

        /// <summary>Symbolic passes.</summary>
        public const string Compile = nameof(Compile);

        /// <summary>Diagnostics found by the symbolic passes.</summary>
        public const string CompileDiagnostics = nameof(CompileDiagnostics);

        /// <summary>Networks to emit.</summary>
        public const string Networks = nameof(Networks);

        /// <summary>Catalogue entries.</summary>
        public const string RegistryEntries = nameof(RegistryEntries);
    }
}
