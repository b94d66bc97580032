using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Parsing;

internal sealed partial class BodyLowerer
{
    /// <summary>Lowers an expression that must be a scalar (double, int or bool) and returns its SSA value.</summary>
    private int Scalar(IOperation op, Env env)
    {
        _ct.ThrowIfCancellationRequested();
        CheckPrecision(op, op.Type);
        if (op.ConstantValue.HasValue)
        {
            switch (op.ConstantValue.Value)
            {
                case double d: return _b.Const(d);
                case float f: return _b.Const(f);
                case int i: return _b.Const(i, ValType.Int);
                case bool v: return _b.Bool(v);
            }
        }
        switch (op)
        {
            case IParenthesizedOperation p: return Scalar(p.Operand, env);
            case ILocalReferenceOperation local:
                if (env.Scalars.TryGetValue(local.Local, out int v)) return v;
                if (ShapeOf(local.Local.Type) is not null) throw UnsupportedExpr(op, $"Using the {local.Local.Type.Name} '{local.Local.Name}' as a number", $"read one of its members ({local.Local.Name}.X)");
                throw UnsupportedExpr(op, $"Reading '{local.Local.Name}' before it is assigned", "assign it on every path before reading it");
            case IParameterReferenceOperation param:
                if (env.Scalars.TryGetValue(param.Parameter, out int pv)) return pv;
                if (param.Parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor } primary
                    && primary.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_ct) is TypeDeclarationSyntax)
                {
                    throw UnsupportedExpr(op, $"The primary constructor parameter '{param.Parameter.Name}' read by a member",
                        $"SymGrad reads a struct's fields and properties: keep it in one ({FieldDeclarationFor(param.Parameter.Name)} = {param.Parameter.Name};) and read that");
                }
                throw UnsupportedExpr(op, $"Using the parameter '{param.Parameter.Name}' as a single value", $"read one of its elements, e.g. {param.Parameter.Name}[0]");
            case IBinaryOperation binary: return Binary(binary, env);
            case IUnaryOperation unary: return Unary(unary, env);
            case IConversionOperation conversion: return Conversion(conversion, env);
            case IInvocationOperation call: return Call(call, env);
            case IArrayElementReferenceOperation element:
                return ReadElement(element, Array(element.ArrayReference, env), element.Indices, env);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } indexer when IsSpan(instance.Type) || IsIntSpan(instance.Type):
                return ReadElement(indexer, Array(instance, env), indexer.Arguments.Select(a => a.Value).ToList(), env);
            case IImplicitIndexerReferenceOperation { Argument: var fromEnd, Instance: var instance } indexer when IsIndexType(fromEnd.Type) && (IsSpan(instance.Type) || IsIntSpan(instance.Type)):
                return ReadElement(indexer, Array(instance, env), new[] { fromEnd }, env);
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } lengthOf } when lengthOf.Type is IArrayTypeSymbol { Rank: 2 }:
            {
                // A two-dimensional array's Length is its element count, rows times columns.
                ArrayBinding matrix = Array(lengthOf, env);
                return _b.Binary(Op.Mul, Length(matrix, 0), Length(matrix, 1));
            }
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } lengthOf } when IsArrayLike(lengthOf.Type) || IsIntArrayLike(lengthOf.Type):
                return Length(Array(lengthOf, env), 0);
            case IConditionalOperation conditional: return Conditional(conditional, env);
            case ITupleBinaryOperation tuple when tuple.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals: return TupleEquality(tuple, env);
            case IIsPatternOperation isPattern when ShapeOf(isPattern.Value.Type) is { } valueShape:
                return StructPattern(Composite(isPattern.Value, env), valueShape, isPattern.Pattern, env);
            case IIsPatternOperation isPattern: return Pattern(Scalar(isPattern.Value, env), isPattern.Pattern, env);
            case ISwitchExpressionOperation switchExpression: return SwitchArms(Scalar(switchExpression.Value, env), switchExpression, 0, env);
            case ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation:
                return LowerExpression(op, env);
            case IFieldReferenceOperation or IPropertyReferenceOperation when ScalarMember((IMemberReferenceOperation)op, env) is int memberValue:
                return memberValue;
            case IFieldReferenceOperation field when FieldKey(field) is { } fieldKey && env.Scalars.TryGetValue(fieldKey, out int fieldValue):
                return fieldValue;
            case IFieldReferenceOperation field:
                throw UnsupportedExpr(op, $"Reading the field '{Shorten(field.Syntax.ToString())}' of another object or type",
                    "a [Differentiable] method reads the fields of this and the static fields of its own type; pass this value as a parameter (marked [NoDerivative] if it needs no gradient)");
            default:
                throw UnsupportedExpression(op);
        }
    }

    /// <summary>Lowers an expression that names an array or span: a parameter or a local array.</summary>
    private ArrayBinding Array(IOperation op, Env env)
    {
        CheckPrecision(op, op.Type);
        switch (op)
        {
            case IConversionOperation { Operand: var operand } when IsArrayLike(operand.Type) || IsIntArrayLike(operand.Type): return Array(operand, env);
            case ILocalReferenceOperation local when env.Arrays.TryGetValue(local.Local, out ArrayBinding? a): return a;
            case IParameterReferenceOperation param when env.Arrays.TryGetValue(param.Parameter, out ArrayBinding? p): return p;
            case IFieldReferenceOperation field when FieldKey(field) is { } fieldKey && env.Arrays.TryGetValue(fieldKey, out ArrayBinding? f): return f;
            case IPropertyReferenceOperation { Property.IsStatic: true } data when env.Arrays.TryGetValue(data.Property, out ArrayBinding? d): return d;
            case IArrayElementReferenceOperation or IImplicitIndexerReferenceOperation or IInvocationOperation when Slice(op, env) is { } slice: return slice;
            default:
                throw SliceOrFromEnd(op) ?? UnsupportedExpr(op, $"The array expression '{Shorten(op.Syntax.ToString())}'",
                    "index a double array or span parameter, or a local array of constant size, by name");
        }
    }

    /// <summary>
    /// Where <see cref="FieldReader"/> bound a field read: a static one under its symbol, an instance one under its
    /// path from the model (<c>W</c>, or <c>L1.W</c> for a layer's weights, also as <c>W</c> in the layer's own method
    /// inlined on <c>L1</c>). Null for a field of anything else (another object's are not inputs).
    /// </summary>
    private VarKey? FieldKey(IFieldReferenceOperation field)
    {
        if (field.Field.IsStatic) return field.Instance is null ? VarKey.Of(field.Field) : null;
        return FieldReader.PathOf(field, _thisPath, false) is { } at ? new VarKey(field.Field, at.Path) : null;
    }

    /// <summary>The path from the model of the object this is in the body being lowered: "" for the model, "L1." in a layer method called on L1.</summary>
    private string _thisPath = "";

    private int ReadElement(IOperation op, ArrayBinding array, IReadOnlyList<IOperation> indices, Env env)
    {
        if (array.Local is null)
        {
            // A parameter's element at any index: out of range, the load throws where the method does.
            int index0 = indices.Count == 1 && IsIndexType(indices[0].Type) ? FromEnd(array, indices[0], env) : Scalar(indices[0], env);
            int index1 = indices.Count > 1 ? Scalar(indices[1], env) : -1;
            if (array.IsSlice) return _b.Load(array.Param, ParamIndex(array, index0), -1, _intArrays.Contains(array.Param) ? ValType.Int : ValType.Double);
            for (int k = 0; k < indices.Count; k++)
            {
                if (_b.TryGetConst(k == 0 ? index0 : index1, out double c) && c < 0)
                {
                    throw new LoweringException(DiagnosticDescriptors.IndexNotConstant, indices[k].Syntax.GetLocation(), indices[k].Syntax.ToString(), $"is {c}, below 0");
                }
            }
            return _b.Load(array.Param, index0, index1, _intArrays.Contains(array.Param) ? ValType.Int : ValType.Double);
        }
        if (array.Local is { IsMemory: true } memory)
        {
            (int m0, int m1) = IndexValues(indices, env);
            return _b.LoadLocal(memory.Memory, m0, m1);
        }
        (int i, int j) = Indices(op, indices, env, array);
        if (array.Local is { } local) return local.Slots[Flat(local, i, j)];
        return _b.Load(array.Param, _b.Const(i, ValType.Int), j >= 0 ? _b.Const(j, ValType.Int) : -1);
    }

    private (int I, int J) IndexValues(IReadOnlyList<IOperation> indices, Env env) =>
        (Scalar(indices[0], env), indices.Count > 1 ? Scalar(indices[1], env) : -1);

    private (int I, int J) Indices(IOperation op, IReadOnlyList<IOperation> indices, Env env, ArrayBinding array)
    {
        var values = new int[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            int index = Scalar(indices[k], env);
            if (!_b.TryGetConst(index, out double c) && array.Local?.Symbol is { } symbol) throw new NeedsMemoryException(symbol); // indexed at run time: memory
            if (!_b.TryGetConst(index, out c))
            {
                throw new LoweringException(DiagnosticDescriptors.IndexNotConstant, indices[k].Syntax.GetLocation(),
                    indices[k].Syntax.ToString(), "depends on a value known only at run time");
            }
            int length = array.Local is null ? int.MaxValue : k == 0 ? array.Local.Length0 : array.Local.Length1;
            if (c < 0 || c >= length)
            {
                throw new LoweringException(DiagnosticDescriptors.IndexNotConstant, indices[k].Syntax.GetLocation(),
                    indices[k].Syntax.ToString(), $"is {c}, outside 0..{(length == int.MaxValue ? "" : (length - 1).ToString())}");
            }
            values[k] = (int)c;
        }
        return (values[0], values.Length > 1 ? values[1] : -1);
    }

    private static int Flat(LocalArray local, int i, int j) => local.Length1 < 0 ? i : i * local.Length1 + j;

    private int Length(ArrayBinding array, int dimension)
    {
        if (array.IsSlice) return array.Count;
        if (array.Local is { IsMemory: true } memory) return dimension == 0 ? memory.LengthValue0 : memory.LengthValue1;
        if (array.Local is { } local) return _b.Const(dimension == 0 ? local.Length0 : local.Length1, ValType.Int);
        return _b.Length(array.Param, dimension);
    }

    private int Binary(IBinaryOperation binary, Env env)
    {
        if (binary.IsLifted) throw UnsupportedExpr(binary, $"The nullable operation '{Shorten(binary.Syntax.ToString())}'", "use double, int and bool values, which are never null");
        if (binary.OperatorMethod is { } method && ShapeOf(method.ContainingType) is not null) return One(OperatorLeaves(method, binary.LeftOperand, binary.RightOperand, env, binary), binary);
        if (binary.OperatorMethod is not null)
        {
            throw UnsupportedExpr(binary, $"The user-defined operator '{OperatorToken(binary)}' in '{Shorten(binary.Syntax.ToString())}'",
                "compute with double, int and bool values and their built-in operators");
        }
        if (binary.OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr) return ShortCircuit(binary, env);
        int a = Scalar(binary.LeftOperand, env), b = Scalar(binary.RightOperand, env);
        ValType type = _b.TypeOf(a);
        switch (binary.OperatorKind)
        {
            case BinaryOperatorKind.Add: return _b.Binary(Arithmetic(Op.Add, binary.IsChecked, type), a, b);
            case BinaryOperatorKind.Subtract: return _b.Binary(Arithmetic(Op.Sub, binary.IsChecked, type), a, b);
            case BinaryOperatorKind.Multiply: return _b.Binary(Arithmetic(Op.Mul, binary.IsChecked, type), a, b);
            case BinaryOperatorKind.Divide: return _b.Binary(Op.Div, a, b);
            case BinaryOperatorKind.Remainder when type == ValType.Int: return _b.Binary(Op.Rem, a, b);
            case BinaryOperatorKind.And when type == ValType.Bool: return _b.Binary(Op.And, a, b);
            case BinaryOperatorKind.Or when type == ValType.Bool: return _b.Binary(Op.Or, a, b);
            case BinaryOperatorKind.LessThan: return _b.Compare(Op.Lt, a, b);
            case BinaryOperatorKind.LessThanOrEqual: return _b.Compare(Op.Le, a, b);
            case BinaryOperatorKind.GreaterThan: return _b.Compare(Op.Gt, a, b);
            case BinaryOperatorKind.GreaterThanOrEqual: return _b.Compare(Op.Ge, a, b);
            case BinaryOperatorKind.Equals: return _b.Compare(Op.Eq, a, b);
            case BinaryOperatorKind.NotEquals: return _b.Compare(Op.Ne, a, b);
            default: throw UnsupportedBinary(binary, type);
        }
    }

    /// <summary>
    /// <c>a &amp;&amp; b</c> and <c>a || b</c>: when <c>a</c> decides at compile time (often after unrolling, as in
    /// <c>i &lt; 3 &amp;&amp; v[i] &gt; 0</c>), <c>b</c> is not lowered at all; when <c>b</c> assigns, it is lowered as a
    /// branch so that it runs only when C# would run it. Otherwise both are pure and plain <c>&amp;&amp;</c> serves.
    /// </summary>
    private int ShortCircuit(IBinaryOperation binary, Env env)
    {
        bool isAnd = binary.OperatorKind == BinaryOperatorKind.ConditionalAnd;
        int a = Scalar(binary.LeftOperand, env);
        if (_b.TryGetConst(a, out double known))
        {
            bool decided = isAnd ? known == 0 : known != 0;
            return decided ? _b.Bool(!isAnd) : Scalar(binary.RightOperand, env);
        }
        bool assigns = HasEffects(binary.RightOperand);
        if (!assigns) return _b.Binary(isAnd ? Op.And : Op.Or, a, Scalar(binary.RightOperand, env));

        Env evaluated = env.Clone(), skipped = env.Clone();
        _b.PushBlock();
        int b = Scalar(binary.RightOperand, evaluated);
        Block evaluateBlock = _b.PopBlock();
        var phis = new List<Phi>();
        int result = MakePhi(phis, isAnd ? b : _b.Bool(true), isAnd ? _b.Bool(false) : b, null);
        // The right operand runs in the `then` branch of `a &&` and in the `else` branch of `a ||`.
        if (isAnd) MergeInto(env, evaluated, skipped, phis);
        else MergeInto(env, skipped, evaluated, phis);
        _b.AddIf(a, isAnd ? evaluateBlock : Block.Empty, isAnd ? Block.Empty : evaluateBlock, phis);
        return result;
    }

    /// <summary>
    /// The int operation of a checked context keeps its overflow check (<see cref="Op.CheckedAdd"/>, spelled
    /// <c>checked(a + b)</c>), so the gradient throws the <c>OverflowException</c> the method throws. On doubles
    /// <c>checked</c> changes nothing; int division and remainder throw the same either way.
    /// </summary>
    private static Op Arithmetic(Op op, bool isChecked, ValType type) => !isChecked || type != ValType.Int ? op : op switch
    {
        Op.Add => Op.CheckedAdd,
        Op.Sub => Op.CheckedSub,
        Op.Mul => Op.CheckedMul,
        _ => op,
    };

    private static string OperatorToken(IBinaryOperation binary) =>
        binary.Syntax is BinaryExpressionSyntax b ? b.OperatorToken.Text : binary.OperatorKind.ToString();

    private int Unary(IUnaryOperation unary, Env env)
    {
        if (unary.OperatorMethod is { } method && ShapeOf(method.ContainingType) is not null) return One(OperatorLeaves(method, unary.Operand, null, env, unary), unary);
        if (unary.OperatorMethod is not null || unary.IsLifted) throw UnsupportedUnary(unary);
        int a = Scalar(unary.Operand, env);
        return unary.OperatorKind switch
        {
            UnaryOperatorKind.Minus => _b.Unary(unary.IsChecked && _b.TypeOf(a) == ValType.Int ? Op.CheckedNeg : Op.Neg, a),
            UnaryOperatorKind.Plus => a,
            UnaryOperatorKind.Not => _b.Unary(Op.Not, a),
            _ => throw UnsupportedUnary(unary),
        };
    }

    private int Conversion(IConversionOperation conversion, Env env)
    {
        ValType? from = TypeOf(conversion.Operand.Type), to = TypeOf(conversion.Type);
        if (from is null || to is null || conversion.OperatorMethod is not null) throw UnsupportedConversion(conversion);
        int a = Scalar(conversion.Operand, env);
        if (from == to) return a;
        return (from, to) switch
        {
            (ValType.Int, ValType.Double) => _b.Unary(Op.IntToDouble, a),
            (ValType.Double, ValType.Int) => _b.Unary(conversion.IsChecked ? Op.CheckedDoubleToInt : Op.DoubleToInt, a),
            _ => throw UnsupportedConversion(conversion),
        };
    }

    /// <summary><c>c ? a : b</c> as a real branch: only the taken side is evaluated.</summary>
    private int[] BranchLeaves(int condition, Func<Env, int[]> whenTrue, Func<Env, int[]> whenFalse, Env env)
    {
        if (_b.TryGetConst(condition, out double known)) return known != 0 ? whenTrue(env) : whenFalse(env);
        Env thenEnv = env.Clone(), elseEnv = env.Clone();
        _b.PushBlock();
        int[] a = whenTrue(thenEnv);
        Block thenBlock = _b.PopBlock();
        _b.PushBlock();
        int[] b = whenFalse(elseEnv);
        Block elseBlock = _b.PopBlock();
        var phis = new List<Phi>();
        var result = new int[a.Length];
        for (int i = 0; i < a.Length; i++) result[i] = a[i] == b[i] ? a[i] : MakePhi(phis, a[i], b[i], null);
        MergeInto(env, thenEnv, elseEnv, phis);
        _b.AddIf(condition, thenBlock, elseBlock, phis);
        return result;
    }

    private int Conditional(IConditionalOperation conditional, Env env) =>
        Branch(Scalar(conditional.Condition, env), e => Scalar(conditional.WhenTrue, e), e => Scalar(conditional.WhenFalse!, e), env);

    /// <summary>
    /// Whether <paramref name="value"/> matches a pattern of comparisons: <c>&gt; 0</c>, <c>&lt;= 1</c>, a constant
    /// (<c>is double.NaN</c> matches NaN, as C#'s pattern does), <c>and</c>, <c>or</c>, <c>not</c>, <c>_</c>: a bool.
    /// </summary>
    private int Pattern(int value, IPatternOperation pattern, Env env)
    {
        switch (pattern)
        {
            case IRelationalPatternOperation relational:
                Op op = relational.OperatorKind switch
                {
                    BinaryOperatorKind.LessThan => Op.Lt, BinaryOperatorKind.LessThanOrEqual => Op.Le,
                    BinaryOperatorKind.GreaterThan => Op.Gt, BinaryOperatorKind.GreaterThanOrEqual => Op.Ge,
                    _ => throw UnsupportedExpression(pattern),
                };
                return _b.Compare(op, value, Scalar(relational.Value, env));
            case IConstantPatternOperation constant:
                int c = Scalar(constant.Value, env);
                return _b.TryGetConst(c, out double k) && double.IsNaN(k) ? _b.Unary(Op.IsNaN, value) : _b.Compare(Op.Eq, value, c);
            case IBinaryPatternOperation both:
                int left = Pattern(value, both.LeftPattern, env), right = Pattern(value, both.RightPattern, env);
                return _b.Binary(both.OperatorKind == BinaryOperatorKind.Or ? Op.Or : Op.And, left, right);
            case INegatedPatternOperation negated:
                return _b.Unary(Op.Not, Pattern(value, negated.Pattern, env));
            case IDiscardPatternOperation:
                return _b.Bool(true);
            default:
                throw UnsupportedExpr(pattern, "A pattern that declares or tests a type",
                    "compare the value instead: x is > 0 and < 1, x is 0 or 1, x is not double.NaN");
        }
    }

    /// <summary>
    /// A switch expression's arms from <paramref name="arm"/> on, as nested real branches: only the chosen arm's
    /// value is computed. The last arm must match everything (<c>_ =&gt;</c>): C# throws when no arm matches, and a
    /// [Differentiable] method must not throw. A guard (<c>when</c>) is its own branch, so it is evaluated only where
    /// its pattern matched, as in C#.
    /// </summary>
    private int SwitchArms(int value, ISwitchExpressionOperation switchExpression, int arm, Env env)
    {
        if (arm == switchExpression.Arms.Length)
        {
            throw UnsupportedExpr(switchExpression, "A switch expression without a last arm that matches every value",
                "end it with a discard arm, _ => ...: without one C# throws when no arm matches");
        }
        ISwitchExpressionArmOperation current = switchExpression.Arms[arm];
        int matches = Pattern(value, current.Pattern, env);
        Func<Env, int> rest = e => SwitchArms(value, switchExpression, arm + 1, e);
        Func<Env, int> chosen = current.Guard is null
            ? e => Scalar(current.Value, e)
            : e => Branch(Scalar(current.Guard, e), g => Scalar(current.Value, g), rest, e);
        return Branch(matches, chosen, rest, env);
    }

    /// <summary>A real two-way branch on <paramref name="condition"/>: only the taken side is lowered into code that runs.</summary>
    private int Branch(int condition, Func<Env, int> whenTrue, Func<Env, int> whenFalse, Env env) =>
        BranchLeaves(condition, e => new[] { whenTrue(e) }, e => new[] { whenFalse(e) }, env)[0];

    /// <summary>Assignments, compound assignments and ++/--, as statements or as expressions; returns the value stored.</summary>
    private int LowerExpression(IOperation op, Env env)
    {
        switch (op)
        {
            case ISimpleAssignmentOperation assign when ShapeOf(assign.Target.Type) is not null:
                return StoreComposite(assign.Target, Composite(assign.Value, env), env, op).FirstOrDefault();
            case ICompoundAssignmentOperation { OperatorMethod: { } method } compound when ShapeOf(compound.Target.Type) is not null:
                return StoreComposite(compound.Target, OperatorLeaves(method, compound.Target, compound.Value, env, compound), env, op).FirstOrDefault();
            case IDeconstructionAssignmentOperation deconstruction:
                return LowerDeconstruction(deconstruction, env);
            case ISimpleAssignmentOperation assign:
                CheckNotReassigned(assign);
                return Store(assign.Target, Scalar(assign.Value, env), env, op);
            case ICompoundAssignmentOperation compound:
            {
                if (compound.OperatorMethod is not null)
                {
                    throw UnsupportedExpr(op, $"The user-defined operator in '{Shorten(op.Syntax.ToString())}'", "compute with double, int and bool values and their built-in operators");
                }
                int current = Scalar(compound.Target, env), operand = Scalar(compound.Value, env);
                if (compound.InConversion is { } inConv && inConv.Exists && !inConv.IsIdentity || compound.OutConversion is { } outConv && outConv.Exists && !outConv.IsIdentity)
                {
                    throw UnsupportedExpr(op, $"The mixed-type compound assignment '{Shorten(op.Syntax.ToString())}'",
                        "write the conversion out, e.g. n = (int)(n + v) for an int n, or make the target a double");
                }
                Op kind = compound.OperatorKind switch
                {
                    BinaryOperatorKind.Add => Op.Add,
                    BinaryOperatorKind.Subtract => Op.Sub,
                    BinaryOperatorKind.Multiply => Op.Mul,
                    BinaryOperatorKind.Divide => Op.Div,
                    BinaryOperatorKind.Remainder when _b.TypeOf(current) == ValType.Int => Op.Rem,
                    _ => throw UnsupportedExpr(op, $"The compound assignment '{Shorten(op.Syntax.ToString())}'",
                        "use += -= *= /= (and %= on int), or write the operation out with supported operators"),
                };
                return Store(compound.Target, _b.Binary(Arithmetic(kind, compound.IsChecked, _b.TypeOf(current)), current, operand), env, op);
            }
            case IIncrementOrDecrementOperation step:
            {
                int current = Scalar(step.Target, env);
                int one = _b.Const(1, _b.TypeOf(current));
                bool isChecked = step.IsChecked && !_stepsThatCannotOverflow.Contains(step);
                int next = _b.Binary(Arithmetic(step.Kind == OperationKind.Increment ? Op.Add : Op.Sub, isChecked, _b.TypeOf(current)), current, one);
                Store(step.Target, next, env, op);
                return step.IsPostfix ? current : next;
            }
            default:
                return Scalar(op, env);
        }
    }

    private int Store(IOperation target, int value, Env env, IOperation statement)
    {
        switch (target)
        {
            case ILocalReferenceOperation local when !env.Arrays.ContainsKey(local.Local):
                env.Scalars[local.Local] = value;
                _b.NameValue(value, local.Local.Name);
                return value;
            case IParameterReferenceOperation param:
                throw new LoweringException(DiagnosticDescriptors.AssignmentToParameter, statement.Syntax.GetLocation(),
                    Shorten(statement.Syntax.ToString()), param.Parameter.Name);
            case IArrayElementReferenceOperation element:
                return StoreElement(Array(element.ArrayReference, env), element.Indices, value, env, statement, element.ArrayReference);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } indexer when IsSpan(instance.Type):
                return StoreElement(Array(instance, env), indexer.Arguments.Select(a => a.Value).ToList(), value, env, statement, instance);
            case IFieldReferenceOperation or IPropertyReferenceOperation when TryStoreMember(target, value, env, statement):
                return value;
            default:
                throw target is IFieldReferenceOperation or IPropertyReferenceOperation
                    ? UnsupportedExpr(statement, $"Assigning to the member '{Shorten(target.Syntax.ToString())}'", "assign to a local instead: a [Differentiable] method must not change state")
                    : SliceOrFromEnd(target) ?? UnsupportedExpr(statement, $"The assignment '{Shorten(statement.Syntax.ToString())}'", "assign to a local or to an element of a local array");
        }
    }

    private int StoreElement(ArrayBinding array, IReadOnlyList<IOperation> indices, int value, Env env, IOperation statement, IOperation arrayOp)
    {
        if (array.Local is not { } local)
        {
            if (arrayOp is IFieldReferenceOperation field)
            {
                throw UnsupportedExpr(statement, $"Assigning to an element of the field '{Shorten(field.Syntax.ToString())}'",
                    "a [Differentiable] method must not change the model's weights: compute into a local array");
            }
            string name = arrayOp is IParameterReferenceOperation p ? p.Parameter.Name : arrayOp.Syntax.ToString();
            throw new LoweringException(DiagnosticDescriptors.AssignmentToParameter, statement.Syntax.GetLocation(),
                Shorten(statement.Syntax.ToString()), name);
        }
        if (local.IsMemory)
        {
            (int m0, int m1) = IndexValues(indices, env);
            if (_b.TypeOf(value) == ValType.Int) value = _b.Unary(Op.IntToDouble, value);
            _b.AddEffect(new StoreLocal(local.Memory, m0, m1, value));
            return value;
        }
        (int i, int j) = Indices(statement, indices, env, array);
        int flat = Flat(local, i, j);
        local.Slots[flat] = value;
        _b.NameValue(value, ElementName(local, flat));
        return value;
    }

    /// <summary>
    /// The IR type of a C# type: double and float are both the method's real (<see cref="ValType.Double"/>);
    /// <see cref="CheckPrecision"/> makes sure a method holds only its own.
    /// </summary>
    private static ValType? TypeOf(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Double or SpecialType.System_Single => ValType.Double,
        SpecialType.System_Int32 => ValType.Int,
        SpecialType.System_Boolean => ValType.Bool,
        _ => null,
    };

    internal static bool IsSpan(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", ContainingNamespace.Name: "System", TypeArguments.Length: 1 } named
        && IsReal(named.TypeArguments[0].SpecialType);

    internal static bool IsReal(SpecialType type) => type is SpecialType.System_Double or SpecialType.System_Single;

    private static string FieldDeclarationFor(string parameter) => "public double " + char.ToUpperInvariant(parameter[0]) + parameter.Substring(1);

    /// <summary>The method's floating-point type as C# names it.</summary>
    private string RealName => _real == Real.Single ? "float" : "double";

    /// <summary>
    /// SG0019 unless <paramref name="type"/> (a scalar, or an array's or span's elements) is the method's own
    /// floating-point type or no floating-point type at all: <c>f * 2.0</c> in a float method is double arithmetic,
    /// whose gradient would have to be double too.
    /// </summary>
    private void CheckPrecision(IOperation op, ITypeSymbol? type)
    {
        SpecialType element = type is null ? SpecialType.None : ElementSpecialType(type);
        if (!IsReal(element) || element == _realSpecial) return;
        throw MixedPrecision(op.Syntax, $"'{Shorten(op.Syntax.ToString())}'", element == SpecialType.System_Double ? "double" : "float");
    }

    /// <summary>The special type of a scalar, or of an array's or span's elements.</summary>
    internal static SpecialType ElementSpecialType(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => array.ElementType.SpecialType,
        INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", TypeArguments.Length: 1 } span => span.TypeArguments[0].SpecialType,
        _ => type.SpecialType,
    };

    private LoweringException MixedPrecision(SyntaxNode where, string what, string wrong) =>
        new(DiagnosticDescriptors.MixedPrecision, where.GetLocation(), what, wrong, RealName, _rootName, MixedAdvice(_real));

    /// <summary>What to write instead of a value of the other floating-point type in a method of <paramref name="real"/>.</summary>
    internal static string MixedAdvice(Real real) => real == Real.Single
        ? "write float literals (0.5f), MathF and SymMathF functions, and float locals and arrays, or make the whole method double"
        : "write double literals and Math functions, and double locals and arrays, or make the whole method float";

    /// <summary>An <c>int[]</c> or span of ints: a parameter read as data (labels, index tables).</summary>
    internal static bool IsIntSpan(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", ContainingNamespace.Name: "System", TypeArguments.Length: 1 } named
        && named.TypeArguments[0].SpecialType == SpecialType.System_Int32;

    internal static bool IsIntArrayLike(ITypeSymbol? type) =>
        IsIntSpan(type) || type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Int32, Rank: 1 };

    internal static bool IsArrayLike(ITypeSymbol? type) =>
        IsSpan(type) || type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Double or SpecialType.System_Single, Rank: 1 or 2 };

}
