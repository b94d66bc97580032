using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Parsing;

// ---- structs, records and tuples of numbers -------------------------------------------------------------------
//
// A value of a struct shape (StructShape) is lowered to its numbers, one SSA value per leaf, in the shape's order:
// a variable of it is one environment entry per leaf (VarKey with the leaf's path), so assignment copies, branches
// merge with a phi per leaf and loops carry each leaf, all with the scalar machinery. The struct types' own code
// (constructors, methods, operators, computed properties) is inlined by BodyLowerer.StructMembers.cs.

internal sealed partial class BodyLowerer
{
    private readonly StructShape.Cache _shapes = new();

    private StructShape? ShapeOf(ITypeSymbol? type) => _shapes.Of(type);

    private const string ThisPrefix = "this.";
    private const string ReturnPrefix = "return.";

    /// <summary>Lowers an expression of a struct shape and returns its leaves' values.</summary>
    private int[] Composite(IOperation op, Env env)
    {
        _ct.ThrowIfCancellationRequested();
        StructShape shape = ShapeOf(op.Type) ?? throw UnsupportedExpression(op);
        foreach (StructLeaf leaf in shape.Leaves) CheckPrecision(op, leaf.Type);
        switch (op)
        {
            case IParenthesizedOperation p: return Composite(p.Operand, env);
            case IConversionOperation { Operand: var operand } conversion when operand.Type is null || ShapeOf(operand.Type) is not null:
                return Converted(shape, operand.Type is null ? Defaults(shape) : Composite(operand, env), conversion);
            case ILocalReferenceOperation local: return ReadVariable(local.Local, "", shape, op, env);
            case IParameterReferenceOperation param: return ReadVariable(param.Parameter, "", shape, op, env);
            case IInstanceReferenceOperation: return ReadVariable(_callStack.Peek(), ThisPrefix, shape, op, env);
            case ITupleOperation tuple:
            {
                var leaves = new List<int>();
                foreach (IOperation element in tuple.Elements) leaves.AddRange(Leaves(element, env));
                return Converted(shape, leaves.ToArray(), tuple);
            }
            case IDefaultValueOperation: return Defaults(shape);
            case IObjectCreationOperation creation: return Construct(creation, shape, env);
            case IWithOperation with:
            {
                int[] leaves = Composite(with.Operand, env);
                ApplyInitializer(with.Initializer, shape, leaves, env);
                return leaves;
            }
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return BranchLeaves(Scalar(conditional.Condition, env), e => Composite(conditional.WhenTrue, e), e => Composite(whenFalse, e), env);
            case ISwitchExpressionOperation switchExpression:
                return SwitchArmsLeaves(switchExpression, 0, Leaves(switchExpression.Value, env), env);
            case IPropertyReferenceOperation { Instance: null } constant when shape.IsNumericsVector && VectorConstant(constant, shape) is { } fixedValue:
                return fixedValue;
            case IFieldReferenceOperation or IPropertyReferenceOperation when MemberOf((IMemberReferenceOperation)op, env) is { } member:
                return member;
            case IInvocationOperation call: return CallLeaves(call, env);
            case IBinaryOperation { OperatorMethod: { } method } binary:
                return OperatorLeaves(method, binary.LeftOperand, binary.RightOperand, env, binary);
            case IUnaryOperation { OperatorMethod: { } method } unary:
                return OperatorLeaves(method, unary.Operand, null, env, unary);
            case ISimpleAssignmentOperation assignment:
                return StoreComposite(assignment.Target, Composite(assignment.Value, env), env, assignment);
            default:
                throw UnsupportedExpr(op, $"The {StructKind(shape)} expression '{Shorten(op.Syntax.ToString())}'",
                    "build the value with new, a tuple (a, b), default or with, or read it from a local or parameter");
        }
    }

    /// <summary>A switch expression of struct type: its arms as nested real branches, as a number-valued one's.</summary>
    private int[] SwitchArmsLeaves(ISwitchExpressionOperation switchExpression, int arm, int[] value, Env env)
    {
        if (arm == switchExpression.Arms.Length)
        {
            throw UnsupportedExpr(switchExpression, "A switch expression without a last arm that matches every value",
                "end it with a discard arm, _ => ...: without one C# throws when no arm matches");
        }
        ISwitchExpressionArmOperation current = switchExpression.Arms[arm];
        StructShape? subject = ShapeOf(switchExpression.Value.Type);
        int matches = subject is null ? Pattern(value[0], current.Pattern, env) : StructPattern(value, subject, current.Pattern, env);
        Func<Env, int[]> rest = e => SwitchArmsLeaves(switchExpression, arm + 1, value, e);
        Func<Env, int[]> chosen = current.Guard is null
            ? e => Composite(current.Value, e)
            : e => BranchLeaves(Scalar(current.Guard, e), g => Composite(current.Value, g), rest, e);
        return BranchLeaves(matches, chosen, rest, env);
    }

    /// <summary><c>t == (a, b)</c>, <c>t != u</c>: element by element, as C# compares tuples (== of all, != of any).</summary>
    private int TupleEquality(ITupleBinaryOperation tuple, Env env)
    {
        int[] left = Leaves(tuple.LeftOperand, env), right = Leaves(tuple.RightOperand, env);
        if (left.Length != right.Length) throw UnsupportedExpr(tuple, $"The tuple comparison '{Shorten(tuple.Syntax.ToString())}'", "compare the elements one by one");
        bool equals = tuple.OperatorKind == BinaryOperatorKind.Equals;
        int result = _b.Bool(equals);
        for (int i = 0; i < left.Length; i++)
        {
            int a = left[i], b = right[i];
            if (_b.TypeOf(a) == ValType.Int && _b.TypeOf(b) == ValType.Double) a = _b.Unary(Op.IntToDouble, a);
            if (_b.TypeOf(b) == ValType.Int && _b.TypeOf(a) == ValType.Double) b = _b.Unary(Op.IntToDouble, b);
            int test = _b.Compare(equals ? Op.Eq : Op.Ne, a, b);
            result = _b.Binary(equals ? Op.And : Op.Or, result, test);
        }
        return result;
    }

    /// <summary>The values of an expression of any shape: one for a scalar, the leaves of a struct.</summary>
    private int[] Leaves(IOperation op, Env env) => ShapeOf(op.Type) is not null ? Composite(op, env) : new[] { Scalar(op, env) };

    private int[] Defaults(StructShape shape) => shape.Leaves.Select(l => Zero(l.Type)).ToArray();

    private int Zero(ITypeSymbol type) => TypeOf(type) switch
    {
        ValType.Int => _b.Const(0, ValType.Int),
        ValType.Bool => _b.Bool(false),
        _ => _b.Const(0.0),
    };

    /// <summary>Leaves converted to the shape's leaf types (a tuple literal of ints into (double, double)).</summary>
    private int[] Converted(StructShape shape, int[] leaves, IOperation where)
    {
        if (leaves.Length != shape.Leaves.Count) throw UnsupportedExpr(where, $"The conversion '{Shorten(where.Syntax.ToString())}'", "convert each number on its own");
        for (int i = 0; i < leaves.Length; i++) leaves[i] = ConvertLeaf(shape.Leaves[i].Type, leaves[i], where);
        return leaves;
    }

    /// <summary>A number as a leaf of type <paramref name="type"/> holds it: an int widened to the real, as C# converts.</summary>
    private int ConvertLeaf(ITypeSymbol type, int value, IOperation where)
    {
        ValType want = TypeOf(type)!.Value, have = _b.TypeOf(value);
        if (want == have) return value;
        if (want == ValType.Double && have == ValType.Int) return _b.Unary(Op.IntToDouble, value);
        throw UnsupportedExpr(where, $"The conversion '{Shorten(where.Syntax.ToString())}'", "convert each number on its own");
    }

    private int[] ReadVariable(ISymbol symbol, string prefix, StructShape shape, IOperation where, Env env)
    {
        var leaves = new int[shape.Leaves.Count];
        for (int i = 0; i < leaves.Length; i++)
        {
            if (!env.Scalars.TryGetValue(new VarKey(symbol, prefix + shape.Leaves[i].Path), out leaves[i]))
            {
                throw UnsupportedExpr(where, $"Reading '{Shorten(where.Syntax.ToString())}' before it is assigned", "assign it on every path before reading it");
            }
        }
        return leaves;
    }

    private void WriteVariable(ISymbol symbol, string prefix, StructShape shape, int[] leaves, Env env)
    {
        for (int i = 0; i < leaves.Length; i++)
        {
            var key = new VarKey(symbol, prefix + shape.Leaves[i].Path);
            env.Scalars[key] = leaves[i];
            if (prefix.Length == 0) _b.NameValue(leaves[i], VariableName(key));
        }
    }

    /// <summary>
    /// A pattern on a struct or tuple value: property patterns (<c>p is { X: &gt; 0, Min.Y: &lt; 1 }</c>), positional
    /// ones of a tuple (<c>t is (&gt; 0, _)</c>), and <c>and</c>, <c>or</c>, <c>not</c>, <c>_</c> of them: a bool.
    /// </summary>
    private int StructPattern(int[] leaves, StructShape shape, IPatternOperation pattern, Env env)
    {
        switch (pattern)
        {
            case IDiscardPatternOperation:
                return _b.Bool(true);
            case IBinaryPatternOperation both:
                int left = StructPattern(leaves, shape, both.LeftPattern, env), right = StructPattern(leaves, shape, both.RightPattern, env);
                return _b.Binary(both.OperatorKind == BinaryOperatorKind.Or ? Op.Or : Op.And, left, right);
            case INegatedPatternOperation negated:
                return _b.Unary(Op.Not, StructPattern(leaves, shape, negated.Pattern, env));
            case IRecursivePatternOperation { DeclaredSymbol: null } recursive when recursive.DeconstructionSubpatterns.Length == 0 || shape.IsTuple:
            {
                int all = _b.Bool(true);
                var parts = new List<(IReadOnlyList<int> At, ITypeSymbol? Type, IPatternOperation Pattern)>();
                for (int k = 0; k < recursive.DeconstructionSubpatterns.Length; k++)
                {
                    parts.Add((shape.LeavesAt("Item" + (k + 1)), ((INamedTypeSymbol)shape.Type).TupleElements[k].Type, recursive.DeconstructionSubpatterns[k]));
                }
                foreach (IPropertySubpatternOperation property in recursive.PropertySubpatterns)
                {
                    if (property.Member is not IMemberReferenceOperation member) throw UnsupportedExpr(property, $"The property pattern '{Shorten(property.Syntax.ToString())}'", "name a member of the struct");
                    parts.Add((shape.LeavesAt(MemberPath(member)), member.Type, property.Pattern));
                }
                foreach ((IReadOnlyList<int> at, ITypeSymbol? type, IPatternOperation inner) in parts)
                {
                    if (at.Count == 0) throw UnsupportedExpr(inner, $"The pattern '{Shorten(inner.Syntax.ToString())}' on a computed property", "test the fields or auto-properties, or read the property into a local first");
                    int test = at.Count == 1 && ShapeOf(type) is null ? Pattern(leaves[at[0]], inner, env) : StructPattern(at.Select(i => leaves[i]).ToArray(), ShapeOf(type)!, inner, env);
                    all = _b.Binary(Op.And, all, test);
                }
                return all;
            }
            default:
                throw UnsupportedExpr(pattern, $"The pattern '{Shorten(pattern.Syntax.ToString())}' on a {StructKind(shape)}",
                    "test its members with a property pattern (p is { X: > 0 }) or compare them one by one");
        }
    }

    /// <summary>The path of a (possibly extended) property pattern's member: <c>X</c>, <c>Min.Y</c>.</summary>
    private static string MemberPath(IMemberReferenceOperation member) =>
        member.Instance is IMemberReferenceOperation outer ? MemberPath(outer) + "." + StructShape.MemberName(member.Member) : StructShape.MemberName(member.Member);

    /// <summary>
    /// A member of a struct value read as a whole (<c>box.Min</c>, <c>p.X</c>), or a computed property's result;
    /// null when the instance is not a struct of numbers (a field of this in a model class).
    /// </summary>
    private int[]? MemberOf(IMemberReferenceOperation member, Env env)
    {
        if (member.Instance is not { } instance || ShapeOf(instance.Type) is not { } shape) return null;
        if (instance is IInstanceReferenceOperation && !IsStructFrame(shape, env)) return null; // this of a model class
        IReadOnlyList<int> at = shape.LeavesAt(StructShape.MemberName(member.Member));
        if (at.Count > 0)
        {
            // A member of a variable is read alone: the variable's other members may not be assigned yet (S s; s.A = x; s.B = s.A).
            if (VariablePath(instance, env) is { } variable)
            {
                string root = variable.Path.Length == 0 ? "" : variable.Path + ".";
                var values = new int[at.Count];
                for (int k = 0; k < at.Count; k++)
                {
                    if (!env.Scalars.TryGetValue(new VarKey(variable.Symbol, variable.Prefix + root + shape.Leaves[at[k]].Path), out values[k]))
                    {
                        throw UnsupportedExpr(member, $"Reading '{Shorten(member.Syntax.ToString())}' before it is assigned", "assign it on every path before reading it");
                    }
                }
                return values;
            }
            int[] all = Composite(instance, env);
            return at.Select(i => all[i]).ToArray();
        }
        if (member is IPropertyReferenceOperation { Property: { GetMethod: { } getter, Parameters.Length: 0 } })
        {
            return InlineMember(getter, System.Array.Empty<IOperation>(), instance, env, member);
        }
        return null;
    }

    /// <summary>The variable a struct expression names, and its path in it: <c>s</c>, <c>box.Min</c>, this in a struct member; null for any other value.</summary>
    private (ISymbol Symbol, string Prefix, string Path)? VariablePath(IOperation instance, Env env)
    {
        switch (instance)
        {
            case ILocalReferenceOperation local: return (local.Local, "", "");
            case IParameterReferenceOperation parameter: return (parameter.Parameter, "", "");
            case IInstanceReferenceOperation when ShapeOf(instance.Type) is { } shape && IsStructFrame(shape, env): return (_callStack.Peek(), ThisPrefix, "");
            case IFieldReferenceOperation or IPropertyReferenceOperation when instance is IMemberReferenceOperation { Instance: { } outer } member
                                                                               && ShapeOf(outer.Type) is { } holder && holder.LeavesAt(StructShape.MemberName(member.Member)).Count > 0
                                                                               && VariablePath(outer, env) is { } o:
                return (o.Symbol, o.Prefix, o.Path.Length == 0 ? StructShape.MemberName(member.Member) : o.Path + "." + StructShape.MemberName(member.Member));
            default:
                return null;
        }
    }

    /// <summary>Whether the frame being lowered is a member of a struct value (its this is the frame's entries).</summary>
    private bool IsStructFrame(StructShape shape, Env env) =>
        _callStack.Count > 0 && env.Scalars.ContainsKey(new VarKey(_callStack.Peek(), ThisPrefix + shape.Leaves[0].Path));

    /// <summary>A number read from a struct value (<c>p.X</c>, <c>t.Item1</c>, <c>p.Norm</c>); null for other member reads.</summary>
    private int? ScalarMember(IMemberReferenceOperation member, Env env) =>
        member.Instance is { } instance && ShapeOf(instance.Type) is not null && MemberOf(member, env) is { Length: 1 } leaves ? leaves[0] : null;

    /// <summary>
    /// Where an assignment to a member of a struct variable goes: the variable (a local, or this in a struct member)
    /// and the member's path in it. Null when the target is no member of a struct variable.
    /// </summary>
    private (ISymbol Symbol, string Prefix, StructShape Shape, string Path)? MemberTarget(IOperation target, Env env, IOperation statement)
    {
        if (target is not IMemberReferenceOperation { Instance: not null } || RootOf(target) is not { } root || ShapeOf(root.Type) is not { } rootShape) return null;
        if (root is IParameterReferenceOperation param)
        {
            throw new LoweringException(DiagnosticDescriptors.AssignmentToParameter, statement.Syntax.GetLocation(), Shorten(statement.Syntax.ToString()), param.Parameter.Name);
        }
        // A record class on the way is a reference other names may share: its members are not the variable's own.
        for (IOperation? step = (target as IMemberReferenceOperation)?.Instance; step is not null; step = (step as IMemberReferenceOperation)?.Instance)
        {
            if (root is ILocalReferenceOperation local && ShapeOf(step.Type) is { IsReference: true })
            {
                throw UnsupportedExpr(statement, $"Assigning to '{Shorten(target.Syntax.ToString())}', a member of the record class '{(step == root ? local.Local.Name : Shorten(step.Syntax.ToString()) + "' of '" + local.Local.Name)}'",
                    "a record class is a reference other names may see: build a new one with 'with' (p = p with { X = ... })");
            }
        }
        return VariablePath(target, env) is { } variable ? (variable.Symbol, variable.Prefix, rootShape, variable.Path) : null;
    }

    /// <summary>Stores one number into a member of a struct variable; false when the target is not one.</summary>
    private bool TryStoreMember(IOperation target, int value, Env env, IOperation statement)
    {
        if (MemberTarget(target, env, statement) is not { } t) return false;
        IReadOnlyList<int> at = t.Shape.LeavesAt(t.Path);
        if (at.Count != 1) return false;
        var key = new VarKey(t.Symbol, t.Prefix + t.Path);
        env.Scalars[key] = value;
        if (t.Prefix.Length == 0) _b.NameValue(value, VariableName(key));
        return true;
    }

    /// <summary>Assigns a whole struct value: to a local, or to a struct member of a struct variable.</summary>
    private int[] StoreComposite(IOperation target, int[] leaves, Env env, IOperation statement)
    {
        switch (target)
        {
            case ILocalReferenceOperation local when ShapeOf(local.Local.Type) is { } shape:
                WriteVariable(local.Local, "", shape, leaves, env);
                return leaves;
            case IParameterReferenceOperation param:
                throw new LoweringException(DiagnosticDescriptors.AssignmentToParameter, statement.Syntax.GetLocation(), Shorten(statement.Syntax.ToString()), param.Parameter.Name);
        }
        if (MemberTarget(target, env, statement) is { } t)
        {
            IReadOnlyList<int> at = t.Shape.LeavesAt(t.Path);
            for (int k = 0; k < at.Count; k++)
            {
                var key = new VarKey(t.Symbol, t.Prefix + t.Shape.Leaves[at[k]].Path);
                env.Scalars[key] = leaves[k];
                if (t.Prefix.Length == 0) _b.NameValue(leaves[k], VariableName(key));
            }
            return leaves;
        }
        throw UnsupportedExpr(statement, $"The assignment '{Shorten(statement.Syntax.ToString())}'", "assign a struct value to a local");
    }

    /// <summary><c>var (a, b) = t;</c>, <c>(a, b) = (b, a);</c>: the whole value first, then each target in order, as C# does.</summary>
    private int LowerDeconstruction(IDeconstructionAssignmentOperation deconstruction, Env env)
    {
        IOperation value = deconstruction.Value;
        int[] leaves = Composite(value, env);
        StructShape shape = ShapeOf(value.Type)!;
        if (!shape.IsTuple) leaves = DeconstructRecord(deconstruction, shape, leaves);
        int next = 0;
        AssignTargets(deconstruction.Target, leaves, ref next, env, deconstruction);
        return leaves.Length > 0 ? leaves[0] : _b.Const(0.0);
    }

    /// <summary>A positional record's leaves in the order of its generated Deconstruct's parameters.</summary>
    private int[] DeconstructRecord(IDeconstructionAssignmentOperation deconstruction, StructShape shape, int[] leaves)
    {
        SemanticModel model = _compilation.GetSemanticModel(deconstruction.Syntax.SyntaxTree);
        IMethodSymbol? method = deconstruction.Syntax is AssignmentExpressionSyntax assignment ? model.GetDeconstructionInfo(assignment).Method : null;
        if (method is null || !method.IsImplicitlyDeclared)
        {
            throw UnsupportedExpr(deconstruction, $"The deconstruction '{Shorten(deconstruction.Syntax.ToString())}' through a Deconstruct method",
                "deconstruct a tuple or a positional record, or read the members one by one");
        }
        var ordered = new List<int>();
        foreach (IParameterSymbol parameter in method.Parameters) ordered.AddRange(shape.LeavesAt(parameter.Name).Select(i => leaves[i]));
        return ordered.ToArray();
    }

    private void AssignTargets(IOperation target, int[] leaves, ref int next, Env env, IOperation statement)
    {
        switch (target)
        {
            case IDeclarationExpressionOperation declaration:
                AssignTargets(declaration.Expression, leaves, ref next, env, statement);
                return;
            case ITupleOperation tuple:
                foreach (IOperation element in tuple.Elements) AssignTargets(element, leaves, ref next, env, statement);
                return;
            case IDiscardOperation discard:
                next += ShapeOf(discard.Type)?.Leaves.Count ?? 1;
                return;
        }
        if (ShapeOf(target.Type) is { } shape)
        {
            int[] part = leaves.Skip(next).Take(shape.Leaves.Count).ToArray();
            next += part.Length;
            StoreComposite(target, Converted(shape, part, statement), env, statement);
            return;
        }
        int v = leaves[next++];
        if (TypeOf(target.Type) == ValType.Double && _b.TypeOf(v) == ValType.Int) v = _b.Unary(Op.IntToDouble, v);
        Store(target, v, env, statement);
    }

    private static string StructKind(StructShape shape) => shape.IsTuple ? "tuple" : shape.IsReference ? "record" : "struct";
}
