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

// ---- the code of struct types, inlined ---------------------------------------------------------------------------
//
// A struct's constructors, methods, operators and computed properties, and the [Differentiable] building blocks
// that return structs, are inlined at each use: their parameters bound (a struct parameter to its leaves), this to
// the instance's leaves under the frame's "this." entries, their struct result read from the frame's "return."
// entries. A member that assigns this changes the variable it was called on, as in C#.

internal sealed partial class BodyLowerer
{
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
            if (item is IMemberInitializerOperation { InitializedMember: IMemberReferenceOperation nestedMember, Initializer: IObjectOrCollectionInitializerOperation nested }
                && ShapeOf(nestedMember.Type) is { } nestedShape)
            {
                // new Box { Min = { X = x } }: the member's own initializer, on its leaves.
                IReadOnlyList<int> within = shape.LeavesAt(StructShape.MemberName(nestedMember.Member));
                int[] part = within.Select(i => leaves[i]).ToArray();
                ApplyInitializer(nested, nestedShape, part, env);
                for (int k = 0; k < within.Count; k++) leaves[within[k]] = part[k];
                continue;
            }
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
        if (method.MethodKind == MethodKind.DelegateInvoke) return InlineLambdaLeaves(call, env);
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
        if (MutatesThis(method) && method.Parameters.Any(p => p.RefKind == RefKind.In))
        {
            // An in argument is a reference: if it is the variable the member changes, it sees the change, which a
            // copy of its numbers would not.
            throw UnsupportedExpr(where, $"'{Shorten(where.Syntax.ToString())}', whose member '{method.ToDisplayString()}' assigns this and takes an in parameter",
                "pass the argument by value, or make the member not assign this");
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
        int[] result = ResultOf(method, LowerInlined(method, body, calleeEnv, returnsVoid: method.ReturnsVoid), calleeEnv, where);
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
        if (!IsVariable(instance)) return; // C# called the member on a copy (a readonly field, a property's value, an in parameter)
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

    // ---- which struct members write this -------------------------------------------------------------------------

    private readonly Dictionary<IMethodSymbol, bool> _mutates = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Whether a struct member assigns a member of its <c>this</c>, itself or through another member it calls on
    /// <c>this</c>: a call of it changes the variable it is called on, which loops must carry and branches merge.
    /// </summary>
    private bool MutatesThis(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        if (method.IsStatic || !IsStructMember(method)) return false;
        if (_mutates.TryGetValue(method, out bool known)) return known;
        _mutates[method] = false; // recursion is SG0010 where it is inlined
        SyntaxNode? syntax = method.DeclaringSyntaxReferences[0].GetSyntax(_ct);
        IOperation? body = syntax is null ? null : _compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, _ct);
        bool mutates = body is not null && body.DescendantsAndSelf().Any(d => WritesThisRoot(d));
        _mutates[method] = mutates;
        return mutates;
    }

    /// <summary>An assignment rooted at this, or a call on this of a member that writes this.</summary>
    private bool WritesThisRoot(IOperation op)
    {
        IOperation? target = op switch
        {
            ISimpleAssignmentOperation a => a.Target,
            ICompoundAssignmentOperation c => c.Target,
            IIncrementOrDecrementOperation i => i.Target,
            IDeconstructionAssignmentOperation t => t.Target,
            IInvocationOperation { Instance: null or IInstanceReferenceOperation } call when MutatesThis(call.TargetMethod) => call.Instance ?? call,
            IPropertyReferenceOperation { Instance: IInstanceReferenceOperation, Property.GetMethod: { } getter } when MutatesThis(getter) => op,
            _ => null,
        };
        if (target is null) return false;
        if (op is IInvocationOperation or IPropertyReferenceOperation) return true;
        return target.DescendantsAndSelf().OfType<IInstanceReferenceOperation>().Any()
               && RootOf(target) is IInstanceReferenceOperation;
    }

    /// <summary>The variable a member chain starts at (<c>s</c> of <c>s.A.X</c>).</summary>
    private static IOperation RootOf(IOperation op)
    {
        while (op is IMemberReferenceOperation { Instance: { } instance }) op = instance;
        return op;
    }

    /// <summary>
    /// The struct variables an operation changes through calls of members that write this (<c>s.Scale(2)</c>, a getter
    /// with side effects): the locals they are called on, or this (the frame) in a struct member.
    /// </summary>
    private IEnumerable<ISymbol> MutatedThroughMembers(IOperation op)
    {
        foreach (IOperation d in op.DescendantsAndSelf())
        {
            IOperation? instance = d switch
            {
                IInvocationOperation call when MutatesThis(call.TargetMethod) => call.Instance,
                IPropertyReferenceOperation { Property.GetMethod: { } getter } property when MutatesThis(getter) => property.Instance,
                _ => null,
            };
            if (instance is null) continue;
            switch (RootOf(instance))
            {
                case ILocalReferenceOperation local:
                    yield return local.Local;
                    break;
                case IParameterReferenceOperation parameter:
                    yield return parameter.Parameter;
                    break;
                case IInstanceReferenceOperation when _callStack.Count > 0:
                    yield return _callStack.Peek();
                    break;
            }
        }
    }

    /// <summary>Whether an operation has effects on variables: assignments, or calls of members that write this.</summary>
    private bool HasEffects(IOperation op) =>
        op.DescendantsAndSelf().Any(d => d is ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation or IDeconstructionAssignmentOperation)
        || MutatedThroughMembers(op).Any();

    /// <summary>
    /// Whether a member called on <paramref name="instance"/> changes that variable: a local, this, a by-value
    /// parameter, or a non-readonly field of one. A readonly field, a property's value, an <c>in</c> parameter or a
    /// temporary is a copy C# makes: the member changes the copy.
    /// </summary>
    private static bool IsVariable(IOperation? instance) => instance switch
    {
        null or IInstanceReferenceOperation or ILocalReferenceOperation => true,
        IParameterReferenceOperation { Parameter.RefKind: RefKind.None } => true,
        IFieldReferenceOperation { Field.IsReadOnly: false } field => IsVariable(field.Instance),
        _ => false,
    };
}
