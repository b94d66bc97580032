using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Parsing;

// ---- System.Numerics.Vector2, Vector3, Vector4 -------------------------------------------------------------------
//
// The runtime's vectors have no source to inline: their members are lowered here, component by component, in the
// order of the scalar formula (Dot is x1*x2 + y1*y2 + ..., left to right; Length is the square root of Dot(v, v)).
// The runtime may compute Dot and Length with SIMD instructions whose sums round in another order, so a generated
// gradient's value can differ from the method's in the last bits there (documented in the README).

internal sealed partial class BodyLowerer
{
    private int[] VectorConstructor(IObjectCreationOperation creation, StructShape shape, Env env)
    {
        var parts = new List<int>();
        foreach (IArgumentOperation argument in creation.Arguments.OrderBy(a => a.Parameter!.Ordinal)) parts.AddRange(Leaves(argument.Value, env));
        if (parts.Count == 0) return Defaults(shape);
        if (parts.Count == 1) return Enumerable.Repeat(parts[0], shape.Leaves.Count).ToArray(); // new Vector2(s): s in every component
        if (parts.Count != shape.Leaves.Count) throw VectorUnsupported(creation);
        return parts.ToArray();
    }

    private int[] VectorOperator(IMethodSymbol method, IOperation left, IOperation? right, StructShape shape, Env env, IOperation where)
    {
        int[] a = Leaves(left, env);
        int[]? b = right is null ? null : Leaves(right, env);
        return method.Name switch
        {
            "op_Addition" => Componentwise(Op.Add, a, b!),
            "op_Subtraction" => Componentwise(Op.Sub, a, b!),
            "op_Multiply" => Componentwise(Op.Mul, a, b!),
            "op_Division" => Componentwise(Op.Div, a, b!),
            "op_UnaryNegation" => a.Select(x => _b.Unary(Op.Neg, x)).ToArray(),
            "op_UnaryPlus" => a,
            _ => throw VectorUnsupported(where),
        };
    }

    /// <summary>An operation on each component; a scalar operand (<c>v * s</c>, <c>s * v</c>, <c>v / s</c>) meets every component.</summary>
    private int[] Componentwise(Op op, int[] a, int[] b)
    {
        int n = System.Math.Max(a.Length, b.Length);
        var r = new int[n];
        for (int i = 0; i < n; i++) r[i] = _b.Binary(op, a[a.Length == 1 ? 0 : i], b[b.Length == 1 ? 0 : i]);
        return r;
    }

    private int Dot(int[] a, int[] b)
    {
        int sum = _b.Binary(Op.Mul, a[0], b[0]);
        for (int i = 1; i < a.Length; i++) sum = _b.Binary(Op.Add, sum, _b.Binary(Op.Mul, a[i], b[i]));
        return sum;
    }

    private int[] VectorCall(IInvocationOperation call, StructShape shape, Env env)
    {
        IMethodSymbol method = call.TargetMethod;
        int[][] args = Arguments(call).Select(a => Leaves(a, env)).ToArray();
        int[] self = method.IsStatic ? System.Array.Empty<int>() : Composite(call.Instance!, env);
        switch (method.Name)
        {
            case "Length" when !method.IsStatic: return new[] { _b.Unary(Op.Sqrt, Dot(self, self)) };
            case "LengthSquared" when !method.IsStatic: return new[] { Dot(self, self) };
            case "Dot" when args.Length == 2: return new[] { Dot(args[0], args[1]) };
            case "Distance" when args.Length == 2:
            {
                int[] d = Componentwise(Op.Sub, args[0], args[1]);
                return new[] { _b.Unary(Op.Sqrt, Dot(d, d)) };
            }
            case "DistanceSquared" when args.Length == 2:
            {
                int[] d = Componentwise(Op.Sub, args[0], args[1]);
                return new[] { Dot(d, d) };
            }
            case "Normalize" when args.Length == 1: return Componentwise(Op.Div, args[0], new[] { _b.Unary(Op.Sqrt, Dot(args[0], args[0])) });
            case "Add" when args.Length == 2: return Componentwise(Op.Add, args[0], args[1]);
            case "Subtract" when args.Length == 2: return Componentwise(Op.Sub, args[0], args[1]);
            case "Multiply" when args.Length == 2: return Componentwise(Op.Mul, args[0], args[1]);
            case "Divide" when args.Length == 2: return Componentwise(Op.Div, args[0], args[1]);
            case "Negate" when args.Length == 1: return args[0].Select(x => _b.Unary(Op.Neg, x)).ToArray();
            case "Cross" when args.Length == 2 && args[0].Length == 3:
            {
                int[] a = args[0], b = args[1];
                int Minor(int i, int j) => _b.Binary(Op.Sub, _b.Binary(Op.Mul, a[i], b[j]), _b.Binary(Op.Mul, a[j], b[i]));
                return new[] { Minor(1, 2), Minor(2, 0), Minor(0, 1) };
            }
        }
        throw VectorUnsupported(call);
    }

    /// <summary>Vector2.Zero, One, UnitX, ...: constants.</summary>
    private int[]? VectorConstant(IPropertyReferenceOperation property, StructShape shape)
    {
        if (property.Instance is not null) return null;
        int n = shape.Leaves.Count;
        int unit = property.Property.Name switch { "UnitX" => 0, "UnitY" => 1, "UnitZ" => 2, "UnitW" => 3, _ => -1 };
        return property.Property.Name switch
        {
            "Zero" => Enumerable.Range(0, n).Select(_ => _b.Const(0.0)).ToArray(),
            "One" => Enumerable.Range(0, n).Select(_ => _b.Const(1.0)).ToArray(),
            _ when unit >= 0 && unit < n => Enumerable.Range(0, n).Select(i => _b.Const(i == unit ? 1.0 : 0.0)).ToArray(),
            _ => null,
        };
    }

    private static LoweringException VectorUnsupported(IOperation where) =>
        UnsupportedExpr(where, $"'{Shorten(where.Syntax.ToString())}' of System.Numerics",
            "use the vectors' constructors, X/Y/Z/W, + - * /, Dot, Length, LengthSquared, Distance, Normalize or Cross, or compute with the components");
}
