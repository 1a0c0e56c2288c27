using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FieldTheory.Generators.Diagnostics;
using FieldTheory.Generators.Specs;
using FieldTheory.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FieldTheory.Generators.Parsing
{
    /// <summary>
    /// Turns a type carrying [Network] into a <see cref="NetworkSpec"/>: validates the type, the depth and the
    /// activation method, and parses the activation body into IR. Reports instead of throwing.
    /// </summary>
    internal static class NetworkParser
    {
        public const string NetworkAttributeName = "FieldTheory.NetworkAttribute";
        public const string ActivationAttributeName = "FieldTheory.ActivationAttribute";
        public const int MaxHiddenLayers = 64;

        public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            NetworkSpec? spec = null;
            if (context.TargetSymbol is INamedTypeSymbol type && context.TargetNode is TypeDeclarationSyntax node)
            {
                if (node is ClassDeclarationSyntax declaration)
                {
                    spec = Parse(context, type, declaration, diagnostics, cancellationToken);
                }
                else
                {
                    // [Network] targets classes, and records are classes to the attribute, but the emitter writes 'partial class'.
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.UnsupportedNetworkType, LocationInfo.From(node.Identifier.GetLocation()), type.Name, "a record"));
                }
            }

            return new ParseResult(diagnostics.Count == 0 ? spec : null, diagnostics.ToEquatableArray());
        }

        private static NetworkSpec? Parse(
            GeneratorAttributeSyntaxContext context,
            INamedTypeSymbol type,
            ClassDeclarationSyntax declaration,
            List<DiagnosticInfo> diagnostics,
            CancellationToken cancellationToken)
        {
            string name = type.Name;
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkNotPartial, LocationInfo.From(declaration.Identifier.GetLocation()), name));
            }

            if (type.ContainingType is not null || type.TypeParameters.Length > 0)
            {
                string shape = type.ContainingType is not null ? "nested in '" + type.ContainingType.Name + "'" : "generic";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedNetworkType, LocationInfo.From(declaration.Identifier.GetLocation()), name, shape));
            }

            int hiddenLayers = ParseHiddenLayers(context, name, diagnostics);

            IMethodSymbol[] activations = type.GetMembers()
                .OfType<IMethodSymbol>()
                .Where(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ActivationAttributeName))
                .OrderBy(m => m.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
                .ToArray();
            if (activations.Length == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingActivation, LocationInfo.From(declaration.Identifier.GetLocation()), name));
                return null;
            }

            foreach (IMethodSymbol extra in activations.Skip(1))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateActivation, LocationInfo.From(extra.Locations[0]), name, extra.Name));
            }

            IMethodSymbol method = activations[0];
            if (!HasActivationSignature(method))
            {
                string found = method.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
                string prefix = (method.IsStatic ? "static " : string.Empty) + method.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + " ";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidActivationSignature, LocationInfo.From(method.Locations[0]), method.Name, prefix + found));
                return null;
            }

            if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not MethodDeclarationSyntax methodSyntax)
            {
                return null;
            }

            ExpressionSyntax? body = methodSyntax.ExpressionBody?.Expression
                ?? (methodSyntax.Body?.Statements.Count == 1 && methodSyntax.Body.Statements[0] is ReturnStatementSyntax r ? r.Expression : null);
            if (body is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidActivationBody, LocationInfo.From(methodSyntax.Identifier.GetLocation()), method.Name));
                return null;
            }

            SemanticModel model = body.SyntaxTree == context.SemanticModel.SyntaxTree
                ? context.SemanticModel
                : context.SemanticModel.Compilation.GetSemanticModel(body.SyntaxTree);
            Expr? phi = new ActivationExpressionParser(model, method.Parameters[0], diagnostics, cancellationToken).Parse(body);
            if (phi is null)
            {
                return null;
            }

            string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
            string source = string.Join(" ", body.ToString().Split((char[]?)null, System.StringSplitOptions.RemoveEmptyEntries));
            return new NetworkSpec(ns, name, hiddenLayers, source, phi, LocationInfo.From(body), LocationInfo.From(declaration.Identifier.GetLocation()));
        }

        private static int ParseHiddenLayers(GeneratorAttributeSyntaxContext context, string name, List<DiagnosticInfo> diagnostics)
        {
            AttributeData attribute = context.Attributes[0];
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key != "HiddenLayers")
                {
                    continue;
                }

                int value = argument.Value.Value is int v ? v : 0;
                if (value < 1 || value > MaxHiddenLayers)
                {
                    SyntaxNode? where = (attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax)?.ArgumentList?.Arguments
                        .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "HiddenLayers");
                    LocationInfo? location = where is not null ? LocationInfo.From(where) : LocationInfo.From(context.TargetNode);
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHiddenLayers, location, name, value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }

                return value;
            }

            return 1;
        }

        private static bool HasActivationSignature(IMethodSymbol method) =>
            method.IsStatic
            && !method.IsGenericMethod
            && method.ReturnType.SpecialType == SpecialType.System_Double
            && method.Parameters.Length == 1
            && method.Parameters[0].Type.SpecialType == SpecialType.System_Double
            && method.Parameters[0].RefKind == RefKind.None;
    }
}
