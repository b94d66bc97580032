using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Parsing;

/// <summary>
/// Slices of one-dimensional parameters (<c>v[1..]</c>, <c>v[a..^b]</c>, <c>v.Slice(i, n)</c>, <c>v.AsSpan(i, n)</c>)
/// and indices from the end (<c>v[^1]</c>). A slice is no array of its own: it is the parameter read at an offset
/// (<see cref="ArrayBinding.Offset"/>), so its elements' adjoints are the parameter's. What C# checks, the generated
/// code checks the same way (<c>SymGrad.Slices</c>): the slice's bounds where it is made, each index against the
/// slice's length where it is read, with the exceptions the method throws.
/// </summary>
internal sealed partial class BodyLowerer
{
    /// <summary>The slice <paramref name="op"/> makes, or null when it is not one.</summary>
    private ArrayBinding? Slice(IOperation op, Env env)
    {
        switch (op)
        {
            case IArrayElementReferenceOperation element when element.Indices.Length == 1 && element.Indices[0] is IRangeOperation range:
                return Range(Array(element.ArrayReference, env), range, element, env);
            case IImplicitIndexerReferenceOperation { Argument: IRangeOperation range } indexer:
                return Range(Array(indexer.Instance, env), range, indexer, env);
            case IInvocationOperation { TargetMethod.Name: "Slice", Instance: { } span } call when IsSpan(span.Type) || IsIntSpan(span.Type):
            {
                ArrayBinding source = Array(span, env);
                int start = Scalar(call.Arguments[0].Value, env);
                int count = call.Arguments.Length > 1 ? Scalar(call.Arguments[1].Value, env) : -1;
                return SliceOf(source, start, count, call);
            }
            case IInvocationOperation { TargetMethod: { Name: "AsSpan", IsExtensionMethod: true }, Instance: null } asSpan
                when asSpan.Arguments.Length is >= 1 and <= 3 && asSpan.Arguments.Skip(1).All(a => a.Value.Type?.SpecialType == SpecialType.System_Int32):
            {
                ArrayBinding source = Array(asSpan.Arguments[0].Value, env);
                if (asSpan.Arguments.Length == 1) return source;
                int start = Scalar(asSpan.Arguments[1].Value, env);
                int count = asSpan.Arguments.Length > 2 ? Scalar(asSpan.Arguments[2].Value, env) : -1;
                return SliceOf(source, start, count, asSpan);
            }
            default:
                return null;
        }
    }

    /// <summary><c>source.Slice(start, count)</c> (<paramref name="count"/> -1: to the end).</summary>
    private ArrayBinding SliceOf(ArrayBinding source, int start, int count, IOperation op)
    {
        int length = SliceableLength(source, op);
        if (count < 0)
        {
            int end = length;
            return Sliced(source, Checked("Range", length, start, end), _b.Binary(Op.Sub, end, start));
        }
        return Sliced(source, Checked("Start", length, start, count), count);
    }

    /// <summary><c>source[a..b]</c>, either end open or counted from the end (<c>^k</c>).</summary>
    private ArrayBinding Range(ArrayBinding source, IRangeOperation range, IOperation slice, Env env)
    {
        int length = SliceableLength(source, slice);
        int start = range.LeftOperand is null ? _b.Const(0, ValType.Int) : IndexValue(range.LeftOperand, length, env);
        int end = range.RightOperand is null ? length : IndexValue(range.RightOperand, length, env);
        return Sliced(source, Checked("Range", length, start, end), _b.Binary(Op.Sub, end, start));
    }

    /// <summary>An <c>Index</c>: <c>k</c> as it is, <c>^k</c> as <c>length - k</c>.</summary>
    private int IndexValue(IOperation index, int length, Env env)
    {
        IOperation value = index is IConversionOperation { Operand: var operand } && operand.Type?.SpecialType == SpecialType.System_Int32 ? operand : index;
        if (value is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } fromEnd) return _b.Binary(Op.Sub, length, Scalar(fromEnd.Operand, env));
        if (value.Type?.SpecialType != SpecialType.System_Int32) throw UnsupportedExpr(index, $"The index '{Shorten(index.Syntax.ToString())}'", "write an int, or ^ and an int");
        return Scalar(value, env);
    }

    private int SliceableLength(ArrayBinding source, IOperation op)
    {
        bool twoDimensional = source.Local is null && _parameterKinds.TryGetValue(source.Param, out bool rank2) && rank2;
        if (source.Local is not null || twoDimensional)
        {
            throw UnsupportedExpr(op, $"The slice '{Shorten(op.Syntax.ToString())}' of a {(twoDimensional ? "two-dimensional array" : "local array")}",
                "slice a one-dimensional parameter (or a slice of one), or index the local array with an offset (a[i + k])");
        }
        return Length(source, 0);
    }

    private ArrayBinding Sliced(ArrayBinding source, int start, int count) =>
        ArrayBinding.ForSlice(source.Param, source.IsSlice ? _b.Binary(Op.Add, source.Offset, start) : start, count);

    /// <summary>A call of a <c>SymGrad.Slices</c> check, kept as a call (its arguments are ints, never differentiated).</summary>
    private int Checked(string check, int a, int b, int c) =>
        _b.Call(new CallInstr(-1, ValType.Int, "global::SymGrad.Slices." + check, new[] { a, b, c }.ToEquatableArray())
        {
            Label = check == "Range" ? "Start" : check, Shown = "SymGrad.Slices." + check + "(int, int, int)", Recomputable = true,
        });

    /// <summary>Where element <paramref name="index"/> of <paramref name="array"/> is in its parameter (a slice's elements are checked against its length).</summary>
    private int ParamIndex(ArrayBinding array, int index) =>
        array.IsSlice ? Checked("Element", index, array.Count, array.Offset) : index;

    /// <summary>A single index of System.Index type (<c>v[^1]</c>), as an int position in <paramref name="array"/>.</summary>
    private int FromEnd(ArrayBinding array, IOperation index, Env env) =>
        IndexValue(index, Length(array, 0), env);

    private static bool IsIndexType(ITypeSymbol? type) => type?.ToDisplayString() == "System.Index";
}
