using Microsoft.CodeAnalysis.Text;

namespace FieldTheory.Generators.Tests.Infrastructure;

/// <summary>Test source with one span marked as <c>[|...|]</c>: the markers are removed and the span kept.</summary>
internal sealed record MarkedSource(string Text, TextSpan Span)
{
    private const string Open = "[|";
    private const string Close = "|]";

    public static MarkedSource Parse(string marked)
    {
        int start = marked.IndexOf(Open, StringComparison.Ordinal);
        int close = marked.IndexOf(Close, start + Open.Length, StringComparison.Ordinal);
        if (start < 0 || close < 0 || marked.IndexOf(Open, start + Open.Length, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException("The source must contain exactly one [|...|] marker.", nameof(marked));
        }

        string text = marked.Remove(close, Close.Length).Remove(start, Open.Length);
        return new MarkedSource(text, TextSpan.FromBounds(start, close - Open.Length));
    }

    /// <summary>The marked span as 0-based line and column positions.</summary>
    public LinePositionSpan LineSpan => SourceText.From(Text).Lines.GetLinePositionSpan(Span);
}
