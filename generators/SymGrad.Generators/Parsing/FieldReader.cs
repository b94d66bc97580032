using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
    public static List<(ISymbol Symbol, ParamKind Kind, bool NoDerivative, FieldSource Field, string? Path)> Read(
        IMethodSymbol method, IOperation body, Compilation compilation, Real real, DerivativeModes modes, Location where, List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        var found = new List<(ISymbol Symbol, ParamKind Kind, bool NoDerivative, FieldSource Field, string? Path)>();
        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var seenPaths = new HashSet<string>();
        List<(IOperation Body, string Prefix, bool Frozen)> bodies = WithCallees(method, body, compilation, ct, out var callSites);
        var reportedCalls = new HashSet<IInvocationOperation>();
        for (int b = 0; b < bodies.Count; b++)
        {
            (IOperation scanned, string prefix, bool frozen) = bodies[b];
            bool staticBody = prefix == "\0static";
            INamedTypeSymbol owner = callSites[b].Path[callSites[b].Path.Length - 1].ContainingType;
            // What is wrong in a callee's body is the callee's own error (its own gradient reports it there): here it
            // is SG0014 on the call that leads to it, once.
            var local = new List<DiagnosticInfo>();
            List<DiagnosticInfo> sink = b == 0 ? diagnostics : local;
            foreach (IFieldReferenceOperation read in scanned.DescendantsAndSelf().OfType<IFieldReferenceOperation>())
            {
                ct.ThrowIfCancellationRequested();
                IFieldSymbol field = read.Field;
                if (field.IsConst || InNameOf(read)) continue;
                // A field of this, or of a model object held in a field of this (L1.W): its path from this.
                (string Path, bool Frozen)? at = field.IsStatic || staticBody ? null : PathOf(read, prefix, frozen);
                if (!field.IsStatic && (method.IsStatic || at is null)) continue;
                // A static table of the method's own type, or of a callee's type (a layer's, read where the layer's
                // method is inlined): the latter read by its full name.
                bool own = field.IsStatic && IsOwnType(method, field.ContainingType);
                bool foreign = field.IsStatic && !own && b > 0 && IsOwnType(owner, field.ContainingType);
                if (field.IsStatic && ((!own && !foreign) || !seen.Add(field))) continue;
                if (at is { } p0 && !seenPaths.Add(p0.Path)) continue;
                Location location = read.Syntax.GetLocation();
                if ((at is { } nested && nested.Path.Contains('.') || foreign) && !compilation.IsSymbolAccessibleWithin(field, method.ContainingType))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression, location,
                        $"Reading the field '{field.Name}' of {field.ContainingType.Name}, which {method.ContainingType.Name} (where the gradient is generated) cannot see,",
                        "make the field internal or public, or pass what it holds as a parameter"));
                    continue;
                }
                if (IsModelObject(field.Type))
                {
                    continue; // followed: its own fields are the inputs, where the method reads them
                }
                if (foreign && MethodParser.KindOf(field.Type) is not (ParamKind.Double or ParamKind.Int or ParamKind.Array or ParamKind.IntArray))
                {
                    sink.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression, location,
                        $"Reading the static field '{field.Name}' of {field.ContainingType.Name} of type '{field.Type.ToDisplayString()}'",
                        "a static table of another type is read when it is a number or a one-dimensional array; pass anything else as a parameter"));
                    continue;
                }
                ParamKind? kind = MethodParser.KindOf(field.Type);
                SpecialType element = BodyLowerer.ElementSpecialType(field.Type);
                if (kind is null or ParamKind.Span or ParamKind.ReadOnlySpan or ParamKind.IntReadOnlySpan)
                {
                    string advice = field.Type is IArrayTypeSymbol { ElementType: var objects } && IsModelObject(objects)
                        ? $"arrays of model objects are not followed yet; hold each {objects.Name} in a field of its own ({objects.Name} L1, L2), whose fields are then read as inputs"
                        : "fields of type double, int, double[], double[,] and int[] (or float), and fields holding model objects whose fields are such, are read as inputs; pass anything else, or its numbers, as parameters";
                    sink.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression, location,
                        $"Reading the field '{field.Name}' of type '{field.Type.ToDisplayString()}'", advice));
                    continue;
                }
                if (BodyLowerer.IsReal(element) && element != (real == Real.Single ? SpecialType.System_Single : SpecialType.System_Double))
                {
                    sink.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MixedPrecision, location, $"The field '{field.Name}'",
                        real == Real.Single ? "double" : "float", real == Real.Single ? "float" : "double", method.Name, BodyLowerer.MixedAdvice(real)));
                    continue;
                }
                string name = at is { } named ? named.Path.Replace('.', '_') : field.Name;
                if (at is not { Path: var dotted } || !dotted.Contains('.') ? method.Parameters.Any(p => p.Name == name) : false)
                {
                    sink.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression, location,
                        $"Reading the field '{(at?.Path ?? field.Name)}' in a method with a parameter named '{name}'",
                        "rename the parameter: the generated code reads the field into a local of that name"));
                    continue;
                }
                // A readonly field is a constant table of the model (and cannot be written in the gradient instance
                // either); so is every field of a model object held in a [NoDerivative] field.
                bool noDerivative = field.IsStatic || field.IsReadOnly || (at?.Frozen ?? false)
                    || field.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TypeNames.NoDerivativeAttribute);
                string? path = foreign ? field.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + MethodParser.Identifier(field.Name) : at?.Path;
                found.Add((field, kind.Value, noDerivative, field.IsStatic ? FieldSource.Static : FieldSource.Instance, path));
            }
            if (b > 0 && local.Count > 0 && callSites[b].Call is { } call && reportedCalls.Add(call))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CalleeNotDifferentiable,
                    call.Syntax is InvocationExpressionSyntax invocation ? invocation.Expression.GetLocation() : call.Syntax.GetLocation(),
                    callSites[b].Path[1].ToDisplayString(), local[0].Id));
            }
        }
        // Static ReadOnlySpan<double> properties of the type (static ReadOnlySpan<double> Data => [1.0, 2.0]): constant data.
        foreach (IPropertyReferenceOperation read in bodies.SelectMany(b => b.Body.DescendantsAndSelf()).OfType<IPropertyReferenceOperation>())
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
            found.Add((property, kind.Value, true, FieldSource.Static, null));
        }
        // In declaration order, as a reader lists a model's weights (and the tape twin takes their leaves).
        // A layer's fields come where the model declares the layer, in the layer's own order (L1.W, L1.B, L2.W, ...).
        found.Sort((a, b) =>
        {
            List<(string File, int At)> orderA = PathOrder(method.ContainingType, a.Symbol, a.Path), orderB = PathOrder(method.ContainingType, b.Symbol, b.Path);
            for (int i = 0; i < System.Math.Min(orderA.Count, orderB.Count); i++)
            {
                int byFile = string.CompareOrdinal(orderA[i].File, orderB[i].File);
                if (byFile != 0) return byFile;
                if (orderA[i].At != orderB[i].At) return orderA[i].At.CompareTo(orderB[i].At);
            }
            return orderA.Count.CompareTo(orderB.Count);
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
    private static List<(IOperation Body, string Prefix, bool Frozen)> WithCallees(IMethodSymbol method, IOperation body, Compilation compilation, CancellationToken ct) =>
        WithCallees(method, body, compilation, ct, out _);

    /// <summary>
    /// The bodies to scan: the method's, and those of the [Differentiable] methods it calls on this or on a layer held
    /// in a field (under that field's path), and the static ones it calls (for their types' static tables),
    /// transitively. A callee already on the way to itself is recursion, which the lowerer reports (SG0010): not
    /// followed again, so that a method calling itself on a field of its own type (Other.F) ends.
    /// <paramref name="callSites"/> gives, for each body after the first, the call that led to it.
    /// </summary>
    private static List<(IOperation Body, string Prefix, bool Frozen)> WithCallees(IMethodSymbol method, IOperation body, Compilation compilation, CancellationToken ct,
                                                                                 out List<(IInvocationOperation? Call, ISymbol[] Path)> callSites)
    {
        var bodies = new List<(IOperation Body, string Prefix, bool Frozen)> { (body, "", false) };
        callSites = new List<(IInvocationOperation?, ISymbol[])> { (null, new ISymbol[] { method.OriginalDefinition }) };
        var visited = new HashSet<(ISymbol, string)>(new PairComparer()) { (method.OriginalDefinition, "") };
        for (int k = 0; k < bodies.Count; k++)
        {
            foreach (IInvocationOperation call in bodies[k].Body.Descendants().OfType<IInvocationOperation>())
            {
                ct.ThrowIfCancellationRequested();
                IMethodSymbol callee = call.TargetMethod.OriginalDefinition;
                if (!BodyLowerer.IsDifferentiable(callee)) continue;
                ISymbol[] path = callSites[k].Path;
                if (path.Contains(callee, SymbolEqualityComparer.Default)) continue; // recursion: SG0010 from the lowerer
                (string Path, bool Frozen)? on = callee.IsStatic ? ("", false)
                    : call.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }
                    ? (bodies[k].Prefix.TrimEnd('.'), bodies[k].Frozen)
                    : call.Instance is IFieldReferenceOperation objectField && IsModelObject(objectField.Type) ? PathOf(objectField, bodies[k].Prefix, bodies[k].Frozen) : null;
                if (on is not { } at) continue;
                string prefix = callee.IsStatic ? "\0static" : at.Path.Length == 0 ? "" : at.Path + ".";
                if (!visited.Add((callee, prefix))) continue;
                if (callee.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) is { } syntax
                    && compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, ct) is { } calleeBody)
                {
                    bodies.Add((calleeBody, prefix, at.Frozen));
                    callSites.Add((callSites[k].Call ?? call, path.Concat(new ISymbol[] { callee }).ToArray()));
                }
            }
        }
        return bodies;
    }

    private sealed class PairComparer : IEqualityComparer<(ISymbol, string)>
    {
        public bool Equals((ISymbol, string) a, (ISymbol, string) b) => SymbolEqualityComparer.Default.Equals(a.Item1, b.Item1) && a.Item2 == b.Item2;

        public int GetHashCode((ISymbol, string) a) => SymbolEqualityComparer.Default.GetHashCode(a.Item1) * 31 + a.Item2.GetHashCode();
    }

    /// <summary>
    /// A class that holds a model's weights in its own fields (a layer): followed from a field of the model that
    /// holds one, its fields read as inputs under the path (<c>L1.W</c>). Not a record of numbers (a value).
    /// </summary>
    internal static bool IsModelObject(ITypeSymbol? type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Class, SpecialType: SpecialType.None, IsRecord: false, IsGenericType: false } named
        && named.DeclaringSyntaxReferences.Length > 0;

    /// <summary>
    /// The path from this of an instance field read (<c>W</c>, <c>L1.W</c>, <c>Encoder.L1.W</c>) in a body lowered with
    /// this at <paramref name="prefix"/>, and whether a [NoDerivative] model object is on the way; null for a field of
    /// anything else (a parameter, a local).
    /// </summary>
    internal static (string Path, bool Frozen)? PathOf(IFieldReferenceOperation read, string prefix, bool frozen)
    {
        bool here = read.Field.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TypeNames.NoDerivativeAttribute) && IsModelObject(read.Field.Type);
        switch (read.Instance)
        {
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                return (prefix + read.Field.Name, frozen || here);
            case IFieldReferenceOperation outer when IsModelObject(outer.Type) && PathOf(outer, prefix, frozen) is { } o:
                return (o.Path + "." + read.Field.Name, o.Frozen || here);
            default:
                return null;
        }
    }

    /// <summary>The method's type, a base type or an enclosing type (of one of them): its statics read by their simple names.</summary>
    private static bool IsOwnType(IMethodSymbol method, INamedTypeSymbol owner) => IsOwnType(method.ContainingType, owner);

    private static bool IsOwnType(INamedTypeSymbol type, INamedTypeSymbol owner)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            for (INamedTypeSymbol? b = t; b is not null; b = b.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(b.OriginalDefinition, owner.OriginalDefinition)) return true;
            }
        }
        return false;
    }

    /// <summary>The declaration positions of the fields along a path from the model (one for a field of this).</summary>
    private static List<(string File, int At)> PathOrder(INamedTypeSymbol model, ISymbol leaf, string? path)
    {
        var order = new List<(string, int)>();
        string[] segments = path?.Split('.') ?? System.Array.Empty<string>();
        ITypeSymbol? holder = model;
        for (int i = 0; i < segments.Length - 1 && holder is not null; i++)
        {
            IFieldSymbol? step = null;
            for (ITypeSymbol? t = holder; t is not null && step is null; t = t.BaseType) step = t.GetMembers(segments[i]).OfType<IFieldSymbol>().FirstOrDefault();
            if (step is null) break;
            order.Add(DeclarationOrder(step));
            holder = step.Type;
        }
        order.Add(DeclarationOrder(leaf));
        return order;
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

    /// <summary>The declared types of the objects a field path goes through: the model's, then each holder's.</summary>
    internal static EquatableArray<string> HolderTypes(INamedTypeSymbol model, string path)
    {
        var types = new List<string> { model.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) };
        ITypeSymbol? holder = model;
        string[] segments = path.Split('.');
        for (int i = 0; i < segments.Length - 1 && holder is not null; i++)
        {
            IFieldSymbol? step = null;
            for (ITypeSymbol? t = holder; t is not null && step is null; t = t.BaseType) step = t.GetMembers(segments[i]).OfType<IFieldSymbol>().FirstOrDefault();
            holder = step?.Type;
            types.Add(holder?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) ?? ""); // without "?": a nullable annotation is the same type
        }
        return types.ToEquatableArray();
    }
}
