using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Parsing;

/// <summary>
/// What a struct parameter of a <c>[Differentiable]</c> method must be, and the C# the generated code writes for it
/// (its doc comments' cref, the expression that builds its gradient struct). Its numbers are inputs of the IR like
/// any scalar parameter (<see cref="StructInput"/>).
/// </summary>
internal static class StructParameters
{
    /// <summary>A type as a cref names it: a tuple as the ValueTuple it is (a cref has no tuple syntax), generics in braces.</summary>
    internal static string CrefName(ITypeSymbol type) => type switch
    {
        INamedTypeSymbol { IsTupleType: true } tuple => "global::System.ValueTuple{" + string.Join(", ", tuple.TupleElements.Select(e => CrefName(e.Type))) + "}",
        { SpecialType: not SpecialType.None } => type.ToDisplayString(),
        _ => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace('<', '{').Replace('>', '}'),
    };

    /// <summary>Why a struct parameter cannot be taken, or null: its numbers must be the method's real or int, its gradient writable.</summary>
    internal static string? Problem(IParameterSymbol p, StructShape shape, Real real, bool noDerivative, Compilation compilation, INamedTypeSymbol within)
    {
        if (shape.IsReference) return "a record class is a reference, and its gradient would be another object; make it a record struct, or pass its numbers as parameters";
        if (MemberProblem(shape.Type, "", noDerivative, compilation, within) is { } unreachable) return unreachable;
        foreach (StructLeaf leaf in shape.Leaves)
        {
            if (leaf.Type.SpecialType == SpecialType.System_Boolean) return $"its member {leaf.Path} is a bool; keep bools out of the structs a method takes, or pass the numbers as parameters";
            if (BodyLowerer.IsReal(leaf.Type.SpecialType) && leaf.Type.SpecialType != MethodParser.SpecialOf(real))
            {
                return $"its member {leaf.Path} is a {(real == Real.Single ? "double" : "float")} in a {(real == Real.Single ? "float" : "double")} method; a method computes in one floating-point type (SG0019)";
            }
        }
        if (!noDerivative && ReadOnlyMember(shape.Type) is { } member)
        {
            return $"its member {member} cannot be set, so the gradient cannot be written into a {shape.Type.Name}; make the member settable or init, or mark the parameter [NoDerivative]";
        }
        return null;
    }

    /// <summary>
    /// A member the generated code, in the method's own type, cannot read (or, for the gradient, set), or one that is a
    /// reference (a record class inside the struct: its gradient would be another object, and default(R) is null).
    /// </summary>
    private static string? MemberProblem(ITypeSymbol type, string prefix, bool noDerivative, Compilation compilation, INamedTypeSymbol within)
    {
        if (type is INamedTypeSymbol { IsTupleType: true } tuple)
        {
            for (int i = 0; i < tuple.TupleElements.Length; i++)
            {
                if (MemberProblem(tuple.TupleElements[i].Type, prefix + "Item" + (i + 1) + ".", noDerivative, compilation, within) is { } inner) return inner;
            }
            return null;
        }
        if (type.SpecialType != SpecialType.None) return null;
        foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst))
        {
            string name = prefix + StructShape.MemberName(field);
            if (field.Type.IsReferenceType) return $"its member {name} is a record class, a reference whose gradient would be another object; make it a record struct";
            if (field.AssociatedSymbol is IPropertySymbol property)
            {
                if (property.GetMethod is null || !compilation.IsSymbolAccessibleWithin(property.GetMethod, within)) return $"its member {name} cannot be read from {within.Name}, where the gradient is generated";
                if (!noDerivative && (property.SetMethod is null || !compilation.IsSymbolAccessibleWithin(property.SetMethod, within)))
                {
                    return $"its member {name} cannot be set from {within.Name}, so the gradient cannot be written into a {type.Name}; make the member settable or init, or mark the parameter [NoDerivative]";
                }
            }
            else if (!compilation.IsSymbolAccessibleWithin(field, within))
            {
                return $"its field {name} cannot be read from {within.Name}, where the gradient is generated; make it public or internal, or pass the numbers as parameters";
            }
            if (MemberProblem(field.Type, name + ".", noDerivative, compilation, within) is { } nested) return nested;
        }
        return null;
    }

    /// <summary>The first member that a <c>with</c> expression cannot set (a readonly field, a get-only property), or null.</summary>
    private static string? ReadOnlyMember(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { IsTupleType: true } tuple) return tuple.TupleElements.Select(e => ReadOnlyMember(e.Type)).FirstOrDefault(m => m is not null);
        foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst))
        {
            bool settable = field.AssociatedSymbol is IPropertySymbol property ? property.SetMethod is not null : !field.IsReadOnly;
            if (!settable) return StructShape.MemberName(field);
            if (field.Type.SpecialType == SpecialType.None && ReadOnlyMember(field.Type) is { } inner) return StructShape.MemberName(field) + "." + inner;
        }
        return null;
    }

    /// <summary>
    /// The C# that builds a gradient struct from its leaves' adjoint locals: a tuple literal for a tuple,
    /// <c>default(T) with { X = ..., Min = ... }</c> for a struct, with a hole <c>{path}</c> for each leaf, which the
    /// emitter fills with that leaf's adjoint local.
    /// </summary>
    internal static string WriteBack(StructShape shape, StructShape.Cache shapes, string prefix)
    {
        var type = (INamedTypeSymbol)shape.Type;
        var parts = new List<(string Name, string Value)>();
        IEnumerable<(string Name, ITypeSymbol Type)> members = type.IsTupleType
            ? type.TupleElements.Select((e, i) => ("Item" + (i + 1), e.Type))
            : type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst).Select(f => (StructShape.MemberName(f), f.Type));
        foreach ((string name, ITypeSymbol memberType) in members)
        {
            string path = prefix + name;
            parts.Add((name, shapes.Of(memberType) is { } inner ? WriteBack(inner, shapes, path + ".") : "{" + path + "}"));
        }
        if (type.IsTupleType) return "(" + string.Join(", ", parts.Select(p => p.Value)) + ")";
        return $"default({type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}) with {{ " + string.Join(", ", parts.Select(p => MethodParser.Identifier(p.Name) + " = " + p.Value)) + " }";
    }
}
