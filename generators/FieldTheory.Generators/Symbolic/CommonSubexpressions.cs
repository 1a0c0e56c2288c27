using System.Collections.Generic;

namespace FieldTheory.Generators.Symbolic
{
    /// <summary>
    /// Common-subexpression elimination across several roots (phi and its derivatives). Structural equality makes
    /// the roots a DAG; every non-leaf node with two or more parents becomes a temporary, as does every base of a
    /// small integer power (so that b^2 is emitted as b * b). Temporaries are listed in dependency order, so tanh(h)
    /// is evaluated once for phi, phi', phi'' and phi'''.
    /// </summary>
    internal static class CommonSubexpressions
    {
        public static IReadOnlyList<Expr> Temporaries(IReadOnlyList<Expr> roots)
        {
            var parents = new Dictionary<Expr, int>();
            var forced = new HashSet<Expr>();
            foreach (Expr root in roots)
            {
                Count(root, parents, forced);
            }

            var ordered = new List<Expr>();
            var done = new HashSet<Expr>();
            foreach (Expr root in roots)
            {
                Order(root, parents, forced, done, ordered);
            }

            return ordered;
        }

        private static void Count(Expr e, Dictionary<Expr, int> parents, HashSet<Expr> forced)
        {
            parents.TryGetValue(e, out int n);
            parents[e] = n + 1;
            if (n > 0)
            {
                return;
            }

            if (e is Power { Exponent: Constant k } p && IsSmallInteger(k.Value) && !IsLeaf(p.Base))
            {
                forced.Add(p.Base);
            }

            foreach (Expr child in ExprTraversal.Children(e))
            {
                Count(child, parents, forced);
            }
        }

        private static void Order(Expr e, Dictionary<Expr, int> parents, HashSet<Expr> forced, HashSet<Expr> done, List<Expr> ordered)
        {
            if (IsLeaf(e) || !done.Add(e))
            {
                return;
            }

            foreach (Expr child in ExprTraversal.Children(e))
            {
                Order(child, parents, forced, done, ordered);
            }

            if (parents[e] > 1 || forced.Contains(e))
            {
                ordered.Add(e);
            }
        }

        private static bool IsLeaf(Expr e) => e is Constant or Variable;

        internal static bool IsSmallInteger(double n) => n == System.Math.Floor(n) && System.Math.Abs(n) >= 2 && System.Math.Abs(n) <= 4;
    }
}
