using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FieldTheory.Generators.Specs
{
    /// <summary>A source location as plain values (a <see cref="Location"/> would pin the compilation in the cache).</summary>
    internal sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
    {
        public Location ToLocation() => Location.Create(FilePath, TextSpan, LineSpan);

        public static LocationInfo? From(SyntaxNode node) => From(node.GetLocation());

        public static LocationInfo? From(Location location) =>
            location.SourceTree is null
                ? null
                : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }
}
