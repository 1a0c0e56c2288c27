using System;
using System.Collections.Generic;

namespace FieldTheory.Generators.Symbolic
{
    /// <summary>
    /// A total order on expressions: by node kind (constants first, then h, calls, powers, products, sums,
    /// conditionals), then by contents. Sorting terms and factors with it makes the simplifier's output canonical, so
    /// equal expressions are equal records and emission is deterministic.
    /// </summary>
    internal sealed class ExprOrder : IComparer<Expr>
    {
        public static readonly ExprOrder Instance = new ExprOrder();

        public int Compare(Expr? x, Expr? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null)
            {
                return -1;
            }

            if (y is null)
            {
                return 1;
            }

            int byKind = x.KindRank.CompareTo(y.KindRank);
            if (byKind != 0)
            {
                return byKind;
            }

            switch (x)
            {
                case Constant a:
                    return a.Value.CompareTo(((Constant)y).Value);
                case Variable:
                    return 0;
                case Call a:
                {
                    var b = (Call)y;
                    int byFunction = a.Function.CompareTo(b.Function);
                    return byFunction != 0 ? byFunction : Compare(a.Argument, b.Argument);
                }

                case Power a:
                {
                    var b = (Power)y;
                    int byBase = Compare(a.Base, b.Base);
                    return byBase != 0 ? byBase : Compare(a.Exponent, b.Exponent);
                }

                case Product a:
                    return CompareLists(a.Factors, ((Product)y).Factors);
                case Sum a:
                    return CompareLists(a.Terms, ((Sum)y).Terms);
                case Conditional a:
                {
                    var b = (Conditional)y;
                    int c = Compare(a.Condition.Left, b.Condition.Left);
                    if (c == 0)
                    {
                        c = a.Condition.Operator.CompareTo(b.Condition.Operator);
                    }

                    if (c == 0)
                    {
                        c = Compare(a.Condition.Right, b.Condition.Right);
                    }

                    if (c == 0)
                    {
                        c = Compare(a.WhenTrue, b.WhenTrue);
                    }

                    return c != 0 ? c : Compare(a.WhenFalse, b.WhenFalse);
                }

                default:
                    throw new InvalidOperationException("Unknown expression node " + x.GetType().Name);
            }
        }

        private int CompareLists(IReadOnlyList<Expr> a, IReadOnlyList<Expr> b)
        {
            int n = Math.Min(a.Count, b.Count);
            for (int i = 0; i < n; i++)
            {
                int c = Compare(a[i], b[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return a.Count.CompareTo(b.Count);
        }
    }
}
