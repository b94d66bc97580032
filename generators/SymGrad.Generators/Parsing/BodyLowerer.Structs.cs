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
// merge with a phi per leaf and loops carry each leaf, all with the scalar machinery. Members of the struct types
// declared in the user's source (constructors, methods, operators, computed properties) are inlined like
// [Differentiable] methods; `this` inside them is the frame's "this." entries, their struct result the frame's
// "return." entries.

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

    /// <summary>The name of a leaf variable in emitted code: <c>p_X</c>.</summary>
    private static string LeafName(ISymbol symbol, string path) => symbol.Name + "_" + path.Replace('.', '_');

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
            int[] all = Composite(instance, env);
            return at.Select(i => all[i]).ToArray();
        }
        if (member is IPropertyReferenceOperation { Property: { GetMethod: { } getter, Parameters.Length: 0 } })
        {
            return InlineMember(getter, System.Array.Empty<IOperation>(), instance, env, member);
        }
        return null;
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
        if (target is not IMemberReferenceOperation { Instance: { } instance } member || ShapeOf(instance.Type) is not { } shape) return null;
        string name = StructShape.MemberName(member.Member);
        switch (instance)
        {
            case ILocalReferenceOperation local:
                if (shape.IsReference) throw UnsupportedExpr(statement, $"Assigning to '{Shorten(target.Syntax.ToString())}', a member of the record class '{local.Local.Name}'",
                    "a record class is a reference other names may see: build a new one with 'with' (p = p with { X = ... })");
                return (local.Local, "", shape, name);
            case IParameterReferenceOperation param:
                throw new LoweringException(DiagnosticDescriptors.AssignmentToParameter, statement.Syntax.GetLocation(), Shorten(statement.Syntax.ToString()), param.Parameter.Name);
            case IInstanceReferenceOperation when IsStructFrame(shape, env):
                return (_callStack.Peek(), ThisPrefix, shape, name);
            case IMemberReferenceOperation when MemberTarget(instance, env, statement) is { } outer:
                return (outer.Symbol, outer.Prefix, outer.Shape, outer.Path + "." + name);
            default:
                return null;
        }
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

    /// <summary>
    /// <c>new P(x, y)</c>, <c>new P { X = x }</c>, <c>new(x, y)</c>: the constructor inlined (a positional record's or
    /// a primary constructor's parameters initialise the members they name), then the object initializer.
    /// </summary>
    private int[] Construct(IObjectCreationOperation creation, StructShape shape, Env env)
    {
        IMethodSymbol? ctor = creation.Constructor;
        int[] leaves;
        if (shape.IsNumericsVector) leaves = VectorConstructor(creation, shape, env);
        else if (ctor is null || (ctor.IsImplicitlyDeclared && ctor.Parameters.Length == 0)) leaves = shape.IsReference ? Initialized(shape, new Env(), creation) : Defaults(shape);
        else leaves = InlineConstructor(creation, ctor, shape, env);
        if (creation.Initializer is { } initializer) ApplyInitializer(initializer, shape, leaves, env);
        return leaves;
    }

    private int[] InlineConstructor(IObjectCreationOperation creation, IMethodSymbol ctor, StructShape shape, Env env)
    {
        CheckRecursion(creation, ctor);
        var calleeEnv = new Env();
        foreach (IArgumentOperation argument in creation.Arguments) BindParameter(argument.Parameter!, argument.Value, calleeEnv, env, argument);
        SyntaxNode? syntax = ctor.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_ct);
        if (syntax is not TypeDeclarationSyntax) ThrowIfBroken(syntax);
        if (syntax is TypeDeclarationSyntax)
        {
            // A primary constructor: a positional record's properties are its parameters; other members their initializers.
            return Initialized(shape, calleeEnv, creation, ctor);
        }
        if (syntax is not ConstructorDeclarationSyntax { Initializer: null } declaration
            || _compilation.GetSemanticModel(declaration.SyntaxTree).GetOperation(declaration, _ct) is not IConstructorBodyOperation body)
        {
            throw UnsupportedExpr(creation, $"The constructor call '{Shorten(creation.Syntax.ToString())}'",
                "give the struct a constructor of assignments without : this(...), or use an object initializer");
        }
        WriteVariable(ctor.OriginalDefinition, ThisPrefix, shape, Initialized(shape, calleeEnv, creation), calleeEnv);
        LowerInlined(ctor, body, calleeEnv, returnsVoid: true);
        return ReadVariable(ctor.OriginalDefinition, ThisPrefix, shape, creation, calleeEnv);
    }

    /// <summary>
    /// The members' starting values: each member's initializer (lowered in <paramref name="env"/>, where a primary
    /// constructor's parameters are bound), a positional record's property from the parameter of its name, else 0.
    /// </summary>
    private int[] Initialized(StructShape shape, Env env, IOperation where, IMethodSymbol? primary = null)
    {
        int[] leaves = Defaults(shape);
        var type = (INamedTypeSymbol)shape.Type;
        foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst))
        {
            string name = StructShape.MemberName(field);
            IReadOnlyList<int> at = shape.LeavesAt(name);
            ISymbol declared = field.AssociatedSymbol ?? field;
            IOperation? init = null;
            switch (declared.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_ct))
            {
                case ParameterSyntax when primary?.Parameters.FirstOrDefault(p => p.Name == name) is { } parameter:
                    int[] value = ShapeOf(parameter.Type) is { } inner ? ReadVariable(parameter, "", inner, where, env) : new[] { env.Scalars[parameter] };
                    for (int k = 0; k < at.Count; k++) leaves[at[k]] = value[k];
                    continue;
                case VariableDeclaratorSyntax { Initializer: { } equals }:
                    init = _compilation.GetSemanticModel(equals.SyntaxTree).GetOperation(equals, _ct);
                    break;
                case PropertyDeclarationSyntax { Initializer: { } equals }:
                    init = _compilation.GetSemanticModel(equals.SyntaxTree).GetOperation(equals, _ct);
                    break;
            }
            if (init is ISymbolInitializerOperation { Value: var initial })
            {
                int[] value = ShapeOf(field.Type) is { } inner ? Converted(inner, Composite(initial, env), initial) : new[] { ConvertLeaf(field.Type, Scalar(initial, env), initial) };
                for (int k = 0; k < at.Count; k++) leaves[at[k]] = value[k];
            }
        }
        return leaves;
    }

    /// <summary>The assignments of an object initializer or a with expression, into the leaves of the value built.</summary>
    private void ApplyInitializer(IObjectOrCollectionInitializerOperation initializer, StructShape shape, int[] leaves, Env env)
    {
        foreach (IOperation item in initializer.Initializers)
        {
            if (item is not ISimpleAssignmentOperation { Target: IMemberReferenceOperation member } assignment)
            {
                throw UnsupportedExpr(item, $"The initializer '{Shorten(item.Syntax.ToString())}'", "assign members: new P { X = 1, Y = 2 }");
            }
            IReadOnlyList<int> at = shape.LeavesAt(StructShape.MemberName(member.Member));
            if (at.Count == 0) throw UnsupportedExpr(item, $"The initializer '{Shorten(item.Syntax.ToString())}' of a computed property", "assign the fields or auto-properties");
            int[] value = Leaves(assignment.Value, env);
            for (int k = 0; k < at.Count; k++) leaves[at[k]] = ConvertLeaf(shape.Leaves[at[k]].Type, value[k], assignment);
        }
    }

    /// <summary>A user-defined operator of a struct type (<c>a + b</c>, <c>-a</c>, <c>a * s</c>): a Vector2's from the table, else inlined.</summary>
    private int[] OperatorLeaves(IMethodSymbol method, IOperation left, IOperation? right, Env env, IOperation where)
    {
        if (ShapeOf(method.ContainingType) is { IsNumericsVector: true } vector) return VectorOperator(method, left, right, vector, env, where);
        return InlineMember(method, right is null ? new[] { left } : new[] { left, right }, null, env, where);
    }

    /// <summary>A struct member's result used as one number.</summary>
    private int One(int[] leaves, IOperation where) => leaves.Length == 1 ? leaves[0]
        : throw UnsupportedExpr(where, $"'{Shorten(where.Syntax.ToString())}' as a number", "assign its struct result to a local and read its members");

    /// <summary>A call whose result is a struct: an inlined [Differentiable] method, local function or struct member.</summary>
    private int[] CallLeaves(IInvocationOperation call, Env env)
    {
        IMethodSymbol method = call.TargetMethod;
        if (ShapeOf(method.ContainingType) is { IsNumericsVector: true } vector) return VectorCall(call, vector, env);
        if (method.MethodKind == MethodKind.LocalFunction) return InlineLocalFunctionLeaves(call, method, env);
        if (IsStructMember(method)) return InlineMember(method, Arguments(call), call.Instance, env, call);
        if (IsDifferentiable(method)) return InlineLeaves(call, method, env);
        throw new LoweringException(DiagnosticDescriptors.UnsupportedCall, CallLocation(call), method.ToDisplayString());
    }

    private static IOperation[] Arguments(IInvocationOperation call) =>
        call.TargetMethod.Parameters.Select(p => call.Arguments.First(a => a.Parameter?.Ordinal == p.Ordinal).Value).ToArray();

    /// <summary>A member of a struct of numbers declared in the user's source: inlined at each use, as a [Differentiable] method is.</summary>
    private bool IsStructMember(IMethodSymbol method) =>
        ShapeOf(method.ContainingType) is { IsNumericsVector: false } && !method.IsGenericMethod
        && method.DeclaringSyntaxReferences.Length > 0 && method.Parameters.All(p => p.RefKind is RefKind.None or RefKind.In);

    /// <summary>
    /// Inlines a member of a struct of numbers (a method, an operator, a property's getter): its parameters bound to
    /// the arguments, this to the instance's leaves. Its result: one value, or the leaves of a struct.
    /// </summary>
    private int[] InlineMember(IMethodSymbol method, IReadOnlyList<IOperation> arguments, IOperation? instance, Env env, IOperation where)
    {
        if (!IsStructMember(method)) throw UnsupportedExpr(where, $"'{Shorten(where.Syntax.ToString())}', which calls '{method.ToDisplayString()}'",
            "call members declared in your source on structs of numbers, or compute with their numbers");
        CheckRecursion(where, method);
        SyntaxNode? syntax = method.DeclaringSyntaxReferences[0].GetSyntax(_ct);
        ThrowIfBroken(syntax);
        IOperation? body = syntax is null ? null : _compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, _ct);
        if (body is not (IMethodBodyOperation or IBlockOperation))
        {
            throw UnsupportedExpr(where, $"'{Shorten(where.Syntax.ToString())}', whose member '{method.ToDisplayString()}' has no body SymGrad can read",
                "give it a block or expression body");
        }
        var calleeEnv = new Env();
        foreach (KeyValuePair<VarKey, int> kv in env.Scalars.Where(kv => kv.Key.Symbol is IFieldSymbol or IPropertySymbol)) calleeEnv.Scalars[kv.Key] = kv.Value;
        for (int k = 0; k < arguments.Count; k++) BindParameter(method.Parameters[k], arguments[k], calleeEnv, env, where);
        StructShape? owner = method.IsStatic ? null : ShapeOf(method.ContainingType);
        int[] before = System.Array.Empty<int>();
        if (owner is not null)
        {
            before = instance is null ? ReadVariable(_callStack.Peek(), ThisPrefix, owner, where, env) : Composite(instance, env);
            WriteVariable(method.OriginalDefinition, ThisPrefix, owner, before, calleeEnv);
        }
        // What goes wrong in the member is reported where it is, in the member (it is the user's code, not a
        // [Differentiable] method with diagnostics of its own).
        int[] result = ResultOf(method, LowerInlined(method, body, calleeEnv), calleeEnv, where);
        if (owner is not null)
        {
            int[] after = ReadVariable(method.OriginalDefinition, ThisPrefix, owner, where, calleeEnv);
            if (!after.SequenceEqual(before)) WriteBackThis(method, instance, owner, after, env, where);
        }
        return result;
    }

    /// <summary>
    /// A member that assigned its struct's members changes the variable it was called on, as in C#: a local, this
    /// of the member around it, or a by-value parameter (a copy). On an <c>in</c> parameter or a value that is no
    /// variable, C# changes a copy, which is dropped. A record class is a reference other names may share: refused.
    /// </summary>
    private void WriteBackThis(IMethodSymbol method, IOperation? instance, StructShape shape, int[] after, Env env, IOperation where)
    {
        if (shape.IsReference)
        {
            throw UnsupportedExpr(where, $"'{Shorten(where.Syntax.ToString())}', whose member '{method.ToDisplayString()}' assigns members of the record class it is called on",
                "a record class is a reference other names may see: return a new one built with 'with' instead");
        }
        switch (instance)
        {
            case null or IInstanceReferenceOperation:
                WriteVariable(_callStack.Peek(), ThisPrefix, shape, after, env);
                return;
            case IParameterReferenceOperation { Parameter.RefKind: RefKind.None } parameter:
                WriteVariable(parameter.Parameter, "", shape, after, env);
                return;
            case IParameterReferenceOperation:
                return; // an in parameter: C# calls the member on a defensive copy
            case ILocalReferenceOperation:
                StoreComposite(instance, after, env, where);
                return;
            case IMemberReferenceOperation when MemberTarget(instance, env, where) is not null:
                StoreComposite(instance, after, env, where);
                return;
            default:
                return; // a temporary (a call's result, a new value): C# changes it and drops it
        }
    }

    /// <summary>A struct member with compiler errors: the compiler's to report (<see cref="UserCodeErrorException"/>).</summary>
    private void ThrowIfBroken(SyntaxNode? syntax)
    {
        if (syntax is not null && _compilation.GetSemanticModel(syntax.SyntaxTree).GetDiagnostics(syntax.Span, _ct).Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new UserCodeErrorException();
        }
    }

    /// <summary>An inlined callee's result: the value returned, or the leaves its struct returns left in its frame.</summary>
    private int[] ResultOf(IMethodSymbol callee, int returned, Env calleeEnv, IOperation where) =>
        ShapeOf(callee.ReturnType) is { } shape ? ReadVariable(callee.OriginalDefinition, ReturnPrefix, shape, where, calleeEnv) : new[] { returned };

    /// <summary>Binds a parameter of an inlined callee: an array, a struct (its leaves) or a number.</summary>
    private void BindParameter(IParameterSymbol parameter, IOperation argument, Env calleeEnv, Env env, IOperation where)
    {
        if (parameter.RefKind is not (RefKind.None or RefKind.In))
        {
            throw UnsupportedExpr(where, $"The {parameter.RefKind.ToString().ToLowerInvariant()} argument '{Shorten(argument.Syntax.ToString())}'", "pass it by value");
        }
        if (IsArrayLike(parameter.Type) || IsIntArrayLike(parameter.Type)) calleeEnv.Arrays[parameter] = Array(argument, env);
        else if (ShapeOf(parameter.Type) is { } shape) WriteVariable(parameter, "", shape, Converted(shape, Composite(argument, env), argument), calleeEnv);
        else calleeEnv.Scalars[parameter] = Scalar(argument, env);
    }

    /// <summary><c>return p;</c> in a callee returning a struct: its leaves go to the frame's "return." entries.</summary>
    private void ReturnComposite(IReturnOperation ret, StructShape shape, Env env)
    {
        if (_loopDepth > 0)
        {
            throw UnsupportedExpr(ret, $"Returning the {StructKind(shape)} '{Shorten(ret.ReturnedValue!.Syntax.ToString())}' from inside a loop",
                "assign it to a local in the loop, break, and return the local after the loop");
        }
        int[] leaves = Converted(shape, Composite(ret.ReturnedValue!, env), ret);
        for (int i = 0; i < leaves.Length; i++) env.Scalars[new VarKey(_callStack.Peek(), ReturnPrefix + shape.Leaves[i].Path)] = leaves[i];
        env.Return = _b.Const(0.0); // the path has returned; the value is in the entries
    }

    /// <summary>After a branch where both paths return: the struct result's entries meet in phis, as the value does.</summary>
    private void MergeReturned(Env env, Env thenEnv, Env elseEnv, List<Phi> phis)
    {
        if (_callStack.Count == 0 || ShapeOf(_callStack.Peek().ReturnType) is not { } shape) return;
        foreach (StructLeaf leaf in shape.Leaves)
        {
            var key = new VarKey(_callStack.Peek(), ReturnPrefix + leaf.Path);
            if (!thenEnv.Scalars.TryGetValue(key, out int t) || !elseEnv.Scalars.TryGetValue(key, out int e)) continue;
            env.Scalars[key] = t == e ? t : MakePhi(phis, t, e, "result_" + leaf.Path.Replace('.', '_'));
        }
    }

    private static string StructKind(StructShape shape) => shape.IsTuple ? "tuple" : shape.IsReference ? "record" : "struct";
}
