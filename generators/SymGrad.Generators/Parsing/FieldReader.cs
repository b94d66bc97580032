using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Parsing;

/// <summary>
/// The fields a <c>[Differentiable]</c> method reads, as inputs beside its parameters: the instance fields of
/// <c>this</c> (a model's weights, differentiated unless <c>[NoDerivative]</c>) and the static fields of its own
/// type (tables, read as data). Fields of other objects and of other types are left to the lowerer, which says on
/// their syntax what to write instead.
/// </summary>
internal static class FieldReader
{
    public static List<(ISymbol Symbol, ParamKind Kind, bool NoDerivative, FieldSource Field)> Read(
        IMethodSymbol method, IOperation body, Compilation compilation, Real real, DerivativeModes modes, Location where, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        var found = new List<(ISymbol Symbol, ParamKind Kind, bool NoDerivative, FieldSource Field)>();
        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        List<IOperation> bodies = WithCallees(method, body, compilation, ct);
        foreach (IFieldReferenceOperation read in bodies.SelectMany(b => b.DescendantsAndSelf()).OfType<IFieldReferenceOperation>())
        {
            ct.ThrowIfCancellationRequested();
            IFieldSymbol field = read.Field;
            if (field.IsConst || InNameOf(read) || !IsOwn(method, read) || !seen.Add(field)) continue;
            Location at = read.Syntax.GetLocation();
            ParamKind? kind = MethodParser.KindOf(field.Type);
            SpecialType element = BodyLowerer.ElementSpecialType(field.Type);
            if (kind is null or ParamKind.Span or ParamKind.ReadOnlySpan or ParamKind.IntReadOnlySpan)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression, at,
                    $"Reading the field '{field.Name}' of type '{field.Type.ToDisplayString()}'",
                    "fields of type double, int, double[], double[,] and int[] (or float) are read as inputs; pass anything else, or its numbers, as parameters"));
                continue;
            }
            if (BodyLowerer.IsReal(element) && element != (real == Real.Single ? SpecialType.System_Single : SpecialType.System_Double))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MixedPrecision, at, $"The field '{field.Name}'",
                    real == Real.Single ? "double" : "float", real == Real.Single ? "float" : "double", method.Name, BodyLowerer.MixedAdvice(real)));
                continue;
            }
            if (method.Parameters.Any(p => p.Name == field.Name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression, at,
                    $"Reading the field '{field.Name}' in a method with a parameter of the same name",
                    "rename the parameter: the generated code reads the field by its name"));
                continue;
            }
            // A readonly field is a constant table of the model (and cannot be written in the gradient instance either).
            bool noDerivative = field.IsStatic || field.IsReadOnly || field.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TypeNames.NoDerivativeAttribute);
            found.Add((field, kind.Value, noDerivative, field.IsStatic ? FieldSource.Static : FieldSource.Instance));
        }
        // Static ReadOnlySpan<double> properties of the type (static ReadOnlySpan<double> Data => [1.0, 2.0]): constant data.
        foreach (IPropertyReferenceOperation read in bodies.SelectMany(b => b.DescendantsAndSelf()).OfType<IPropertyReferenceOperation>())
        {
            ct.ThrowIfCancellationRequested();
            IPropertySymbol property = read.Property;
            if (!property.IsStatic || property.IsIndexer || property.SetMethod is not null || InNameOf(read)
                || !IsOwnType(method, property.ContainingType) || !seen.Add(property)) continue;
            ParamKind? kind = MethodParser.KindOf(property.Type);
            if (kind is not (ParamKind.ReadOnlySpan or ParamKind.IntReadOnlySpan)) continue; // others: the lowerer's SG0011
            SpecialType element = BodyLowerer.ElementSpecialType(property.Type);
            if (BodyLowerer.IsReal(element) && element != (real == Real.Single ? SpecialType.System_Single : SpecialType.System_Double))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MixedPrecision, read.Syntax.GetLocation(), $"The property '{property.Name}'",
                    real == Real.Single ? "double" : "float", real == Real.Single ? "float" : "double", method.Name, BodyLowerer.MixedAdvice(real)));
                continue;
            }
            found.Add((property, kind.Value, true, FieldSource.Static));
        }
        // In declaration order, as a reader lists a model's weights (and the tape twin takes their leaves).
        found.Sort((a, b) =>
        {
            (string fileA, int atA) = DeclarationOrder(a.Symbol);
            (string fileB, int atB) = DeclarationOrder(b.Symbol);
            int byFile = string.CompareOrdinal(fileA, fileB);
            return byFile != 0 ? byFile : atA.CompareTo(atB);
        });
        DerivativeModes others = modes & ~DerivativeModes.Reverse;
        if ((found.Count > 0 || !method.IsStatic) && others != 0)
        {
            string what = found.Count > 0 ? $"reads the fields {string.Join(", ", found.Select(f => f.Symbol.Name))}" : "is an instance method";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModeNotAvailable, where, method.Name,
                $"DerivativeModes.{others.ToString().Replace(", ", " | DerivativeModes.")} but {what}, " +
                "for which only the gradient (DerivativeModes.Reverse) is generated so far; make it static and pass the fields as parameters for the other modes"));
        }
        return found;
    }

    /// <summary>
    /// The body and those of the <c>[Differentiable]</c> methods it calls on <c>this</c> (a model's layer methods, which
    /// are inlined and read the same fields), transitively; the static callees read only their parameters and their
    /// own statics, which their own lowering reports on.
    /// </summary>
    private static List<IOperation> WithCallees(IMethodSymbol method, IOperation body, Compilation compilation, CancellationToken ct)
    {
        var bodies = new List<IOperation> { body };
        var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { method.OriginalDefinition };
        for (int k = 0; k < bodies.Count; k++)
        {
            foreach (IInvocationOperation call in bodies[k].Descendants().OfType<IInvocationOperation>())
            {
                ct.ThrowIfCancellationRequested();
                IMethodSymbol callee = call.TargetMethod.OriginalDefinition;
                if (callee.IsStatic || call.Instance is not IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }
                    || !BodyLowerer.IsDifferentiable(callee) || !visited.Add(callee)) continue;
                if (callee.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) is { } syntax
                    && compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, ct) is { } calleeBody)
                {
                    bodies.Add(calleeBody);
                }
            }
        }
        return bodies;
    }

    /// <summary>
    /// An instance field of <c>this</c> (written <c>W</c> or <c>this.W</c>), or a static field of the method's type, a
    /// base type or an enclosing type: the names the generated members, in the same type, read the same way.
    /// </summary>
    private static bool IsOwn(IMethodSymbol method, IFieldReferenceOperation read)
    {
        if (!read.Field.IsStatic) return !method.IsStatic && read.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };
        return IsOwnType(method, read.Field.ContainingType);
    }

    /// <summary>The method's type, a base type or an enclosing type (of one of them): its statics read by their simple names.</summary>
    private static bool IsOwnType(IMethodSymbol method, INamedTypeSymbol owner)
    {
        for (INamedTypeSymbol? t = method.ContainingType; t is not null; t = t.ContainingType)
        {
            for (INamedTypeSymbol? b = t; b is not null; b = b.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(b.OriginalDefinition, owner.OriginalDefinition)) return true;
            }
        }
        return false;
    }

    private static (string File, int Position) DeclarationOrder(ISymbol field) =>
        field.Locations.FirstOrDefault(l => l.IsInSource) is { } l ? (l.SourceTree?.FilePath ?? "", l.SourceSpan.Start) : ("\uffff", 0);

    private static bool InNameOf(IOperation op)
    {
        for (IOperation? o = op.Parent; o is not null; o = o.Parent)
        {
            if (o is INameOfOperation) return true;
        }
        return false;
    }
}
