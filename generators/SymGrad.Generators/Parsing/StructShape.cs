using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace SymGrad.Generators.Parsing;

/// <summary>One number of a struct value: its path (<c>X</c>, <c>Min.X</c>, <c>Item2</c>) and its C# type.</summary>
internal sealed record StructLeaf(string Path, ITypeSymbol Type);

/// <summary>
/// A value type made only of numbers, seen as the list of its numbers: a tuple (<c>(double, double)</c>), a user
/// struct, record struct or record of <c>double</c>, <c>int</c> and <c>bool</c> fields (and of such structs), or
/// <c>System.Numerics.Vector2/3/4</c>. The lowering scalarises every value of such a type into its leaves, so that
/// the IR never sees a struct: branches, loops, the derivative rules and the emitters stay what they are.
/// </summary>
internal sealed class StructShape
{
    private StructShape(ITypeSymbol type, IReadOnlyList<StructLeaf> leaves, bool isTuple)
    {
        Type = type;
        Leaves = leaves;
        IsTuple = isTuple;
    }

    public ITypeSymbol Type { get; }

    public IReadOnlyList<StructLeaf> Leaves { get; }

    public bool IsTuple { get; }

    /// <summary>A record class: a reference, whose members the method must not assign (another name may see them).</summary>
    public bool IsReference => Type.IsReferenceType;

    /// <summary>System.Numerics.Vector2/3/4: its members are the runtime's, lowered from a table (<see cref="BodyLowerer"/>).</summary>
    public bool IsNumericsVector => IsVector(Type);

    /// <summary>The indices of the leaves at <paramref name="path"/>: one for a number, several for a nested struct.</summary>
    public IReadOnlyList<int> LeavesAt(string path)
    {
        var found = new List<int>();
        for (int i = 0; i < Leaves.Count; i++)
        {
            string p = Leaves[i].Path;
            if (p == path || (p.Length > path.Length && p.StartsWith(path, System.StringComparison.Ordinal) && p[path.Length] == '.')) found.Add(i);
        }
        return found;
    }

    /// <summary>The name a member has in a path: a tuple element's ItemN, an auto-property's name for its backing field.</summary>
    public static string MemberName(ISymbol member) => member switch
    {
        IFieldSymbol { CorrespondingTupleField: { } item } => item.Name,
        IFieldSymbol { AssociatedSymbol: IPropertySymbol property } => property.Name,
        _ => member.Name,
    };

    /// <summary>The shapes of a method's types, computed once each.</summary>
    internal sealed class Cache
    {
        private readonly Dictionary<ITypeSymbol, StructShape?> _shapes = new(SymbolEqualityComparer.IncludeNullability);

        public StructShape? Of(ITypeSymbol? type)
        {
            if (type is null) return null;
            if (_shapes.TryGetValue(type, out StructShape? known)) return known;
            _shapes[type] = null; // a type that holds itself (a record class) is no shape
            StructShape? shape = Compute(type);
            _shapes[type] = shape;
            return shape;
        }

        private StructShape? Compute(ITypeSymbol type)
        {
            if (type is not INamedTypeSymbol named || named.SpecialType != SpecialType.None || named.IsRefLikeType) return null;
            var leaves = new List<StructLeaf>();
            bool Add(string name, ITypeSymbol member)
            {
                if (IsNumber(member))
                {
                    leaves.Add(new StructLeaf(name, member));
                    return true;
                }
                if (Of(member) is not { } inner) return false;
                leaves.AddRange(inner.Leaves.Select(l => new StructLeaf(name + "." + l.Path, l.Type)));
                return true;
            }
            if (named.IsTupleType)
            {
                for (int i = 0; i < named.TupleElements.Length; i++)
                {
                    if (!Add("Item" + (i + 1), named.TupleElements[i].Type)) return null;
                }
                return new StructShape(type, leaves, isTuple: true);
            }
            bool isStruct = named.TypeKind == TypeKind.Struct && named.DeclaringSyntaxReferences.Length > 0;
            bool isRecord = named.TypeKind == TypeKind.Class && named.IsRecord && named.BaseType?.SpecialType == SpecialType.System_Object;
            if (!isStruct && !isRecord && !IsVector(named)) return null;
            if (named.IsGenericType) return null;
            // An explicit layout overlays members (a union): one value per member would not be the same memory.
            if (named.GetAttributes().Any(a => a.AttributeClass?.Name == "StructLayoutAttribute" && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is int kind && kind == 2)) return null;
            var fields = named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst).ToList();
            if (fields.Count == 0) return null;
            foreach (IFieldSymbol field in fields)
            {
                if (!Add(MemberName(field), field.Type)) return null;
            }
            return new StructShape(type, leaves, isTuple: false);
        }
    }

    private static bool IsNumber(ITypeSymbol type) => type.SpecialType is SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Int32 or SpecialType.System_Boolean;

    internal static bool IsVector(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Vector2" or "Vector3" or "Vector4", ContainingNamespace: { Name: "Numerics", ContainingNamespace.Name: "System" }, IsGenericType: false };
}
