using FieldTheory.Generators.Emitting;
using FieldTheory.Generators.Parsing;
using FieldTheory.Generators.Specs;
using FieldTheory.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FieldTheory.Generators
{
    /// <summary>
    /// The [ConvolutionalNetwork] pipeline: parse (activation as for [Network], layers and shape checks) -> symbolic
    /// passes on the activation -> emit the [Network] members (Info, Model, Activation) plus the architecture. Diagnostics
    /// flow through their own outputs. Convolutional networks are not entries of the [Network] catalogue.
    /// </summary>
    internal static class ConvolutionalPipeline
    {
        public static void Register(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<ConvolutionalParseResult> parsed = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    ConvolutionalParser.AttributeName,
                    predicate: static (node, _) => node is TypeDeclarationSyntax,
                    transform: static (ctx, ct) => ConvolutionalParser.Parse(ctx, ct))
                .WithTrackingName(ConvolutionalTrackingNames.Parse);

            context.RegisterSourceOutput(
                parsed.SelectMany(static (r, _) => r.Diagnostics),
                static (spc, diagnostic) => spc.ReportDiagnostic(diagnostic.ToDiagnostic()));

            IncrementalValuesProvider<(CompileResult Compiled, ConvolutionalSpec Architecture)> compiled = parsed
                .Where(static r => r.Network is not null && r.Architecture is not null)
                .Select(static (r, _) => (ActivationCompiler.Compile(r.Network!), r.Architecture!))
                .WithTrackingName(ConvolutionalTrackingNames.Compile);

            context.RegisterSourceOutput(
                compiled.SelectMany(static (r, _) => r.Compiled.Diagnostics),
                static (spc, diagnostic) => spc.ReportDiagnostic(diagnostic.ToDiagnostic()));

            IncrementalValuesProvider<CompiledConvolutionalNetwork> networks = compiled
                .Where(static r => r.Compiled.Network is not null)
                .Select(static (r, _) => new CompiledConvolutionalNetwork(r.Compiled.Network!, r.Architecture))
                .WithTrackingName(ConvolutionalTrackingNames.Networks);

            context.RegisterSourceOutput(networks, static (spc, network) =>
            {
                spc.AddSource(NetworkEmitter.HintName(network.Network), NetworkEmitter.Emit(network.Network, ConvolutionalEmitter.Declaration));
                spc.AddSource(ConvolutionalEmitter.HintName(network), ConvolutionalEmitter.Emit(network));
            });
        }
    }

    /// <summary>Names of the tracked steps of the [ConvolutionalNetwork] pipeline.</summary>
    public static class ConvolutionalTrackingNames
    {
        /// <summary>Declaration to spec.</summary>
        public const string Parse = "ConvolutionalParse";

        /// <summary>Symbolic passes.</summary>
        public const string Compile = "ConvolutionalCompile";

        /// <summary>Networks to emit.</summary>
        public const string Networks = "ConvolutionalNetworks";
    }
}
