using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SymGrad.Generators.Diagnostics;

/// <summary>
/// Where in the source a diagnostic goes, as plain data (a <see cref="Location"/> holds its syntax tree, which a
/// cached model must not).
/// </summary>
internal sealed record SourceSpot(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static SourceSpot Of(Location location)
    {
        FileLinePositionSpan lines = location.GetLineSpan();
        return new SourceSpot(lines.Path ?? "", location.SourceSpan, lines.Span);
    }
}
