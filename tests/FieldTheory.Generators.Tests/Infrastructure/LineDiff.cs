using System.Text;

namespace FieldTheory.Generators.Tests.Infrastructure;

/// <summary>A readable description of where two texts differ, line by line, with 1-based line numbers.</summary>
internal static class LineDiff
{
    public static string Describe(string expected, string actual, int maxLines)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        var text = new StringBuilder();
        int reported = 0;
        for (int i = 0; i < Math.Max(a.Length, b.Length) && reported < maxLines; i++)
        {
            string? left = i < a.Length ? a[i] : null;
            string? right = i < b.Length ? b[i] : null;
            if (left == right)
            {
                continue;
            }

            text.Append("line ").Append(i + 1).Append(":\n")
                .Append("  - verified: ").Append(left ?? "<end of file>").Append('\n')
                .Append("  + received: ").Append(right ?? "<end of file>").Append('\n');
            reported++;
        }

        if (a.Length != b.Length)
        {
            text.Append($"verified has {a.Length} lines, received {b.Length}.\n");
        }

        return text.ToString();
    }
}
