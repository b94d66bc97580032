using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Diagnostics;

/// <summary>
/// A diagnostic as plain data (no <see cref="Location"/>, which holds a syntax tree), so that it can live in
/// a cached pipeline model.
/// </summary>
internal sealed record DiagnosticInfo(
    string Id,
    string FilePath,
    TextSpan Span,
    LinePositionSpan LineSpan,
    EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
    {
        location ??= Location.None;
        FileLinePositionSpan lines = location.GetLineSpan();
        return new DiagnosticInfo(descriptor.Id, lines.Path ?? "", location.SourceSpan, lines.Span,
            arguments.ToEquatableArray());
    }

    /// <summary>A diagnostic at a spot recorded earlier (the method's name, for an error found after lowering).</summary>
    public static DiagnosticInfo At(DiagnosticDescriptor descriptor, SourceSpot spot, params string[] arguments) =>
        new(descriptor.Id, spot.FilePath, spot.Span, spot.LineSpan, arguments.ToEquatableArray());

    public Diagnostic ToDiagnostic()
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.ById(Id);
        Location location = FilePath.Length == 0 ? Location.None : Location.Create(FilePath, Span, LineSpan);
        return Diagnostic.Create(descriptor, location, System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Cast<object>(Arguments)));
    }
}
