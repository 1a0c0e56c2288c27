using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using FieldTheory.Generators.Diagnostics;
using FieldTheory.Generators.Specs;
using FieldTheory.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static FieldTheory.Generators.Symbolic.ExprFactory;

namespace FieldTheory.Generators.Parsing
{
    /// <summary>
    /// Turns the C# expression of an activation body into the symbolic IR. Compile-time constants (literals, const
    /// fields, Math.PI, constant arithmetic) fold to numbers with C#'s own semantics; <c>Abs</c>, <c>Max</c>, <c>Min</c>
    /// and <c>&amp;&amp; || !</c> in conditions are lowered to conditionals. Every unsupported node is reported with
    /// its exact location; parsing goes on so that one build shows all of them.
    /// </summary>
    internal sealed class ActivationExpressionParser
    {
        private const int MaxTextLength = 80;

        private readonly SemanticModel _model;
        private readonly IParameterSymbol _parameter;
        private readonly List<DiagnosticInfo> _diagnostics;
        private readonly CancellationToken _cancellationToken;

        public ActivationExpressionParser(SemanticModel model, IParameterSymbol parameter, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            _model = model;
            _parameter = parameter;
            _diagnostics = diagnostics;
            _cancellationToken = cancellationToken;
        }

        /// <summary>The IR of <paramref name="syntax"/>, or null after reporting at least one diagnostic.</summary>
        public Expr? Parse(ExpressionSyntax syntax)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (TryConstant(syntax, out double value))
            {
                return Num(value);
            }

            switch (syntax)
            {
                case ParenthesizedExpressionSyntax p:
                    return Parse(p.Expression);
                case IdentifierNameSyntax id:
                    return ParseIdentifier(id);
                case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryMinusExpression):
                    return Map(Parse(u.Operand), Neg);
                case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryPlusExpression):
                    return Parse(u.Operand);
                case CastExpressionSyntax c when IsDouble(_model.GetTypeInfo(c.Type, _cancellationToken).Type):
                    return Parse(c.Expression);
                case BinaryExpressionSyntax b when IsArithmetic(b.Kind()):
                    return ParseArithmetic(b);
                case ConditionalExpressionSyntax c:
                    return ParseConditional(c.Condition, Parse(c.WhenTrue), Parse(c.WhenFalse));
                case InvocationExpressionSyntax i:
                    return ParseInvocation(i);
                case MemberAccessExpressionSyntax m:
                    return Report(DiagnosticDescriptors.NonConstantIdentifier, m, m.ToString());
                default:
                    return Report(DiagnosticDescriptors.UnsupportedSyntax, syntax, Describe(syntax.Kind()), Abbreviate(syntax));
            }
        }

        private Expr? ParseIdentifier(IdentifierNameSyntax id)
        {
            ISymbol? symbol = _model.GetSymbolInfo(id, _cancellationToken).Symbol;
            return SymbolEqualityComparer.Default.Equals(symbol, _parameter)
                ? Expr.H
                : Report(DiagnosticDescriptors.NonConstantIdentifier, id, id.Identifier.ValueText);
        }

        private Expr? ParseArithmetic(BinaryExpressionSyntax b)
        {
            Expr? left = Parse(b.Left);
            Expr? right = Parse(b.Right);
            if (left is null || right is null)
            {
                return null;
            }

            return b.Kind() switch
            {
                SyntaxKind.AddExpression => Add(left, right),
                SyntaxKind.SubtractExpression => Sub(left, right),
                SyntaxKind.MultiplyExpression => Mul(left, right),
                _ => Div(left, right),
            };
        }

        /// <summary>Lowers <c>condition ? whenTrue : whenFalse</c>, expanding <c>&amp;&amp;</c>, <c>||</c> and <c>!</c>.</summary>
        private Expr? ParseConditional(ExpressionSyntax condition, Expr? whenTrue, Expr? whenFalse)
        {
            switch (condition)
            {
                case ParenthesizedExpressionSyntax p:
                    return ParseConditional(p.Expression, whenTrue, whenFalse);
                case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.LogicalNotExpression):
                    return ParseConditional(u.Operand, whenFalse, whenTrue);
                case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.LogicalAndExpression):
                    // a && b ? T : F  ==  a ? (b ? T : F) : F
                    return ParseConditional(b.Left, ParseConditional(b.Right, whenTrue, whenFalse), whenFalse);
                case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.LogicalOrExpression):
                    // a || b ? T : F  ==  a ? T : (b ? T : F)
                    return ParseConditional(b.Left, whenTrue, ParseConditional(b.Right, whenTrue, whenFalse));
                case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.EqualsExpression) || b.IsKind(SyntaxKind.NotEqualsExpression):
                    return Report(DiagnosticDescriptors.EqualityCondition, b, Abbreviate(b), b.OperatorToken.Text);
                case BinaryExpressionSyntax b when Comparison(b.Kind()) is ComparisonOperator op:
                {
                    Expr? left = Parse(b.Left);
                    Expr? right = Parse(b.Right);
                    return left is null || right is null || whenTrue is null || whenFalse is null
                        ? null
                        : new Conditional(new Condition(left, op, right), whenTrue, whenFalse);
                }

                default:
                    Optional<object?> constant = _model.GetConstantValue(condition, _cancellationToken);
                    if (constant.HasValue && constant.Value is bool flag)
                    {
                        return flag ? whenTrue : whenFalse;
                    }

                    return Report(DiagnosticDescriptors.UnsupportedSyntax, condition, "the condition", Abbreviate(condition));
            }
        }

        private Expr? ParseInvocation(InvocationExpressionSyntax invocation)
        {
            if (_model.GetSymbolInfo(invocation, _cancellationToken).Symbol is not IMethodSymbol method)
            {
                return Report(DiagnosticDescriptors.UnsupportedCall, invocation, Abbreviate(invocation.Expression));
            }

            string container = method.ContainingType?.ToDisplayString() ?? string.Empty;
            string name = method.ContainingType?.Name + "." + method.Name;
            SeparatedSyntaxList<ArgumentSyntax> arguments = invocation.ArgumentList.Arguments;
            if (container == "System.Math" && method.Name == "Pow" && arguments.Count == 2)
            {
                Expr? b = Parse(arguments[0].Expression);
                if (!TryConstant(arguments[1].Expression, out double exponent))
                {
                    return Report(DiagnosticDescriptors.NonConstantExponent, arguments[1], Abbreviate(arguments[1]));
                }

                return Map(b, x => Pow(x, exponent));
            }

            Expr?[] args = arguments.Select(a => Parse(a.Expression)).ToArray();
            MathFunction? function = container switch
            {
                "System.Math" when args.Length == 1 => MathFunctionNamed(method.Name),
                "FieldTheory.SpecialFunctions" when args.Length == 1 && method.Name == "Erf" => MathFunction.Erf,
                _ => null,
            };

            bool isMath = container == "System.Math";
            bool isMinMax = isMath && args.Length == 2 && (method.Name == "Max" || method.Name == "Min");
            bool isAbs = isMath && args.Length == 1 && method.Name == "Abs";
            bool isErfc = container == "FieldTheory.SpecialFunctions" && args.Length == 1 && method.Name == "Erfc";
            if (function is null && !isMinMax && !isAbs && !isErfc)
            {
                return Report(DiagnosticDescriptors.UnsupportedCall, invocation, name);
            }

            if (args.Any(a => a is null))
            {
                return null;
            }

            Expr x = args[0]!;
            if (isAbs)
            {
                return If(x, ComparisonOperator.GreaterOrEqual, Expr.Zero, x, Neg(x));
            }

            if (isMinMax)
            {
                Expr y = args[1]!;
                return method.Name == "Max"
                    ? If(x, ComparisonOperator.GreaterOrEqual, y, x, y)
                    : If(x, ComparisonOperator.LessOrEqual, y, x, y);
            }

            return isErfc ? Sub(Expr.One, Fn(MathFunction.Erf, x)) : Fn(function!.Value, x);
        }

        private static MathFunction? MathFunctionNamed(string name) => name switch
        {
            "Exp" => MathFunction.Exp,
            "Log" => MathFunction.Log,
            "Sqrt" => MathFunction.Sqrt,
            "Tanh" => MathFunction.Tanh,
            "Sinh" => MathFunction.Sinh,
            "Cosh" => MathFunction.Cosh,
            "Sin" => MathFunction.Sin,
            "Cos" => MathFunction.Cos,
            "Atan" => MathFunction.Atan,
            _ => null,
        };

        private bool TryConstant(ExpressionSyntax syntax, out double value)
        {
            Optional<object?> constant = _model.GetConstantValue(syntax, _cancellationToken);
            if (constant.HasValue && constant.Value is IConvertible convertible && constant.Value is not bool && constant.Value is not string && constant.Value is not char)
            {
                value = convertible.ToDouble(CultureInfo.InvariantCulture);
                return true;
            }

            value = 0.0;
            return false;
        }

        private Expr? Report(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] arguments)
        {
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, node, arguments));
            return null;
        }

        private static Expr? Map(Expr? e, Func<Expr, Expr> f) => e is null ? null : f(e);

        private static bool IsDouble(ITypeSymbol? type) => type?.SpecialType == SpecialType.System_Double;

        private static bool IsArithmetic(SyntaxKind kind) =>
            kind is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression or SyntaxKind.MultiplyExpression or SyntaxKind.DivideExpression;

        private static ComparisonOperator? Comparison(SyntaxKind kind) => kind switch
        {
            SyntaxKind.GreaterThanExpression => ComparisonOperator.Greater,
            SyntaxKind.GreaterThanOrEqualExpression => ComparisonOperator.GreaterOrEqual,
            SyntaxKind.LessThanExpression => ComparisonOperator.Less,
            SyntaxKind.LessThanOrEqualExpression => ComparisonOperator.LessOrEqual,
            _ => null,
        };

        private static string Abbreviate(SyntaxNode node)
        {
            string text = string.Join(" ", node.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return text.Length <= MaxTextLength ? text : text.Substring(0, MaxTextLength - 3) + "...";
        }

        /// <summary>"a switch expression" for SwitchExpression: the syntax kind in words, with its article.</summary>
        internal static string Describe(SyntaxKind kind)
        {
            string name = kind.ToString();
            var words = new StringBuilder();
            for (int i = 0; i < name.Length; i++)
            {
                if (i > 0 && char.IsUpper(name[i]))
                {
                    words.Append(' ');
                }

                words.Append(char.ToLowerInvariant(name[i]));
            }

            string text = words.ToString();
            return ("aeiou".IndexOf(text[0]) >= 0 ? "an " : "a ") + text;
        }
    }
}
