using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace FieldTheory.Generators.Tests.Incrementality;

/// <summary>
/// Walks a pipeline step's output object graph (fields of records and structs, items of arrays and collections,
/// including <c>EquatableArray</c> items) and lists every reachable object that would pin a compilation in the cache.
/// </summary>
internal static class StepOutputWalker
{
    private static readonly Type[] Forbidden =
        [typeof(ISymbol), typeof(SyntaxNode), typeof(RoslynCompilation), typeof(SemanticModel), typeof(Location), typeof(SyntaxTree)];

    public static IReadOnlyList<string> FindForbidden(object? root, string path)
    {
        var found = new List<string>();
        Walk(root, path, found, new HashSet<object>(ReferenceEqualityComparer.Instance));
        return found;
    }

    private static void Walk(object? value, string path, List<string> found, HashSet<object> visited)
    {
        if (value is null)
        {
            return;
        }

        Type type = value.GetType();
        if (Forbidden.Any(f => f.IsAssignableFrom(type)))
        {
            found.Add(path + ": " + type.FullName);
            return;
        }

        if (type.IsPrimitive || type.IsEnum || value is string || value is decimal)
        {
            return;
        }

        if (!type.IsValueType && !visited.Add(value))
        {
            return;
        }

        // Roslyn's own value types (DiagnosticDescriptor, TextSpan, LinePositionSpan) are equatable plain data.
        if (type.Assembly == typeof(SyntaxNode).Assembly)
        {
            return;
        }

        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                Walk(item, path + "[" + i++ + "]", found, visited);
            }
        }

        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Walk(field.GetValue(value), path + "." + field.Name, found, visited);
            }
        }
    }
}
