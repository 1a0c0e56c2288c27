using System;
using System.Collections.Generic;
using System.Linq;
using FieldTheory.Generators.Specs;

namespace FieldTheory.Generators.Symbolic
{
    /// <summary>
    /// Brings an expression to canonical form bottom-up: flattens sums and products, folds constants, collects like
    /// terms (2 x + 3 x = 5 x) and like factors (x^2 x = x^3), applies the identities of 0 and 1, distributes integer
    /// powers over products, drops conditionals whose branches agree or whose condition is constant, and sorts
    /// operands with <see cref="ExprOrder"/>. Products are not expanded over sums, so factored derivatives stay factored
    /// (better for common-subexpression elimination and for reading).
    /// </summary>
    internal static class Simplifier
    {
        public static Expr Simplify(Expr e) => e switch
        {
            Constant or Variable => e,
            Sum s => MakeSum(s.Terms.Select(Simplify)),
            Product p => MakeProduct(p.Factors.Select(Simplify)),
            Power p => MakePower(Simplify(p.Base), Simplify(p.Exponent)),
            Call c => MakeCall(c.Function, Simplify(c.Argument)),
            Conditional c => MakeConditional(
                new Condition(Simplify(c.Condition.Left), c.Condition.Operator, Simplify(c.Condition.Right)),
                Simplify(c.WhenTrue),
                Simplify(c.WhenFalse)),
            _ => throw new InvalidOperationException("Unknown expression node " + e.GetType().Name),
        };

        /// <summary>A canonical sum of already simplified terms.</summary>
        public static Expr MakeSum(IEnumerable<Expr> terms)
        {
            double constant = 0.0;
            var coefficients = new Dictionary<Expr, double>();
            var order = new List<Expr>();
            foreach (Expr term in Flatten<Sum>(terms, s => s.Terms))
            {
                if (term is Constant c)
                {
                    constant += c.Value;
                    continue;
                }

                (double coefficient, Expr rest) = SplitCoefficient(term);
                if (coefficients.TryGetValue(rest, out double existing))
                {
                    coefficients[rest] = existing + coefficient;
                }
                else
                {
                    coefficients.Add(rest, coefficient);
                    order.Add(rest);
                }
            }

            var result = new List<Expr>();
            foreach (Expr rest in order)
            {
                double coefficient = coefficients[rest];
                if (coefficient != 0.0)
                {
                    result.Add(WithCoefficient(coefficient, rest));
                }
            }

            result.Sort(ExprOrder.Instance);
            if (constant != 0.0 || double.IsNaN(constant))
            {
                result.Insert(0, new Constant(constant));
            }

            return result.Count switch
            {
                0 => Expr.Zero,
                1 => result[0],
                _ => new Sum(new EquatableArray<Expr>(result)),
            };
        }

        /// <summary>A canonical product of already simplified factors.</summary>
        public static Expr MakeProduct(IEnumerable<Expr> factors)
        {
            double constant = 1.0;
            var exponents = new Dictionary<Expr, List<Expr>>();
            var order = new List<Expr>();
            foreach (Expr factor in Flatten<Product>(factors, p => p.Factors))
            {
                if (factor is Constant c)
                {
                    constant *= c.Value;
                    continue;
                }

                (Expr b, Expr exponent) = factor is Power p ? (p.Base, p.Exponent) : (factor, Expr.One);
                if (!exponents.TryGetValue(b, out List<Expr>? list))
                {
                    list = new List<Expr>();
                    exponents.Add(b, list);
                    order.Add(b);
                }

                list.Add(exponent);
            }

            if (constant == 0.0)
            {
                return Expr.Zero;
            }

            var result = new List<Expr>();
            bool needsReflattening = false;
            foreach (Expr b in order)
            {
                Expr merged = MakePower(b, MakeSum(exponents[b]));
                if (merged is Constant c)
                {
                    constant *= c.Value;
                }
                else
                {
                    needsReflattening |= merged is Product;
                    result.Add(merged);
                }
            }

            if (needsReflattening)
            {
                // A merged power of a product, e.g. sqrt(a b)^2, became a product again: flatten it in.
                return MakeProduct(result.Concat(new[] { new Constant(constant) }));
            }

            result.Sort(ExprOrder.Instance);
            if (constant != 1.0 && result.Count > 0)
            {
                result.Insert(0, new Constant(constant));
            }

            return result.Count switch
            {
                0 => new Constant(constant),
                1 => result[0],
                _ => new Product(new EquatableArray<Expr>(result)),
            };
        }

        /// <summary>A canonical power of an already simplified base and exponent.</summary>
        public static Expr MakePower(Expr b, Expr exponent)
        {
            if (exponent is Constant e)
            {
                if (e.Value == 0.0)
                {
                    return Expr.One;
                }

                if (e.Value == 1.0)
                {
                    return b;
                }

                if (b is Constant c)
                {
                    return new Constant(Math.Pow(c.Value, e.Value));
                }

                bool integer = IsInteger(e.Value);
                if (b is Power inner && inner.Exponent is Constant innerExponent && integer)
                {
                    // (b^a)^n = b^(a n) for integer n, for every real b where the left side is defined.
                    return MakePower(inner.Base, new Constant(innerExponent.Value * e.Value));
                }

                if (b is Product product && integer)
                {
                    return MakeProduct(product.Factors.Select(f => MakePower(f, exponent)));
                }
            }

            return new Power(b, exponent);
        }

        public static Expr MakeCall(MathFunction function, Expr argument)
        {
            if (argument is Constant c)
            {
                return new Constant(Evaluator.Apply(function, c.Value));
            }

            if (function == MathFunction.Exp && argument is Call { Function: MathFunction.Log } log)
            {
                return log.Argument;
            }

            return new Call(function, argument);
        }

        public static Expr MakeConditional(Condition condition, Expr whenTrue, Expr whenFalse)
        {
            if (whenTrue.Equals(whenFalse))
            {
                return whenTrue;
            }

            if (condition.Left is Constant left && condition.Right is Constant right)
            {
                return condition.Evaluate(left.Value, right.Value) ? whenTrue : whenFalse;
            }

            // Canonical orientation: the constant on the right (0 <= h reads h >= 0).
            if (condition.Left is Constant && condition.Right is not Constant)
            {
                condition = condition.Swapped();
            }

            return new Conditional(condition, whenTrue, whenFalse);
        }

        private static (double Coefficient, Expr Remainder) SplitCoefficient(Expr term)
        {
            if (term is Product p && p.Factors[0] is Constant c)
            {
                Expr rest = p.Factors.Count == 2 ? p.Factors[1] : new Product(new EquatableArray<Expr>(p.Factors.Skip(1)));
                return (c.Value, rest);
            }

            return (1.0, term);
        }

        private static Expr WithCoefficient(double coefficient, Expr rest)
        {
            if (coefficient == 1.0)
            {
                return rest;
            }

            IEnumerable<Expr> factors = rest is Product p ? p.Factors : new[] { rest };
            return new Product(new EquatableArray<Expr>(new[] { new Constant(coefficient) }.Concat(factors)));
        }

        private static IEnumerable<Expr> Flatten<TNode>(IEnumerable<Expr> items, Func<TNode, IEnumerable<Expr>> children)
            where TNode : Expr
        {
            foreach (Expr item in items)
            {
                if (item is TNode node)
                {
                    foreach (Expr child in Flatten(children(node), children))
                    {
                        yield return child;
                    }
                }
                else
                {
                    yield return item;
                }
            }
        }

        internal static bool IsInteger(double value) => Math.Abs(value) < 1e15 && Math.Floor(value) == value;
    }
}
