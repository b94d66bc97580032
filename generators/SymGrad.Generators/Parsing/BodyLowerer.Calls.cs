using System;
using SymGrad.Generators.Model;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Ir.Rules;

namespace SymGrad.Generators.Parsing;

internal sealed partial class BodyLowerer
{
    private int Call(IInvocationOperation call, Env env)
    {
        IMethodSymbol method = call.TargetMethod;
        IOperation Arg(int ordinal) => call.Arguments.First(a => a.Parameter?.Ordinal == ordinal).Value;

        string container = method.ContainingType?.ToDisplayString() ?? "";
        // The table names double's functions; a float method's are MathF's, float's and SymMathF's, the same operations.
        if (_real == Real.Single) container = container switch { "System.MathF" => "System.Math", "float" => "double", "SymGrad.SymMathF" => "SymGrad.SymMath", _ => container };
        // A math function is the operation the rule table names for it (Math.Exp, SymMath.Relu, ...).
        if (OpRules.ForCall(container + "." + method.Name, method.Parameters.Length) is OpRule rule
            && method.Parameters.All(p => p.Type.SpecialType == _realSpecial || (rule.SourceTakesInts && p.Type.SpecialType == SpecialType.System_Int32)))
        {
            int a = Scalar(Arg(0), env);
            if (rule.Arity == 1) return _b.Unary(rule.Op, a);
            int b = Scalar(Arg(1), env);
            // Math.Max(0, z) and Math.Max(z, 0) are ReLU, with ReLU's derivative 0 at the kink.
            if (rule.Op == Op.Max && _b.TypeOf(a) == ValType.Double)
            {
                if (_b.TryGetConst(a, out double ca) && ca == 0 && !_b.TryGetConst(b, out _)) return _b.Unary(Op.Relu, b);
                if (_b.TryGetConst(b, out double cb) && cb == 0 && !_b.TryGetConst(a, out _)) return _b.Unary(Op.Relu, a);
            }
            return _b.Binary(rule.Op, a, b);
        }
        if (method.Name == "Clamp" && container is "System.Math" or "double" && method.Parameters.All(p => p.Type.SpecialType == _realSpecial))
        {
            return Clamp(call, env);
        }
        if (method.Name == "GetLength" && call.Instance is { } instance && IsArrayLike(instance.Type))
        {
            int dim = Scalar(Arg(0), env);
            if (_b.TryGetConst(dim, out double d) && d is 0 or 1) return Length(Array(instance, env), (int)d);
        }
        if (method.MethodKind == MethodKind.LocalFunction) return InlineLocalFunction(call, method, env);
        if (method.MethodKind == MethodKind.DelegateInvoke) return InlineLambda(call, env);
        if (method.Name == "FusedMultiplyAdd" && container == "System.Math" && method.Parameters.Length == 3 && method.Parameters.All(p => p.Type.SpecialType == _realSpecial))
        {
            // One fused operation (rounded once): kept as the call it is, with a built-in rule of its partials.
            return KeptCall(call, method, "global::SymGrad.BuiltInRules.FusedMultiplyAddPartials", env);
        }
        if (ShapeOf(method.ContainingType) is { IsNumericsVector: true } vector) return One(VectorCall(call, vector, env), call);
        if (IsStructMember(method)) return One(InlineMember(method, Arguments(call), call.Instance, env, call), call);
        if (RuleOf(method, call) is { } derivative) return KeptCall(call, method, FullName(derivative), env);
        if (IsDifferentiable(method)) return Inline(call, method, env);
        if (IsPlainFunction(method)) return KeptCall(call, method, null, env); // fine while nothing active reaches it (checked after activity)
        throw new LoweringException(DiagnosticDescriptors.UnsupportedCall, CallLocation(call), method.ToDisplayString());
    }

    /// <summary>
    /// <c>Math.Clamp(x, lo, hi)</c> as Math computes it, <c>x &lt; lo ? lo : x &gt; hi ? hi : x</c> (NaN stays NaN, -0 stays -0),
    /// as real branches: the derivative is 1 inside and at the bounds, 0 outside. Math.Clamp throws when lo &gt; hi, so
    /// the bounds must be constants in order (a method must not throw); with bounds known only at run time, write the
    /// comparisons yourself.
    /// </summary>
    private int Clamp(IInvocationOperation call, Env env)
    {
        IOperation Arg(int ordinal) => call.Arguments.First(a => a.Parameter?.Ordinal == ordinal).Value;
        int x = Scalar(Arg(0), env), lo = Scalar(Arg(1), env), hi = Scalar(Arg(2), env);
        if (!_b.TryGetConst(lo, out double min) || !_b.TryGetConst(hi, out double max) || min > max)
        {
            throw UnsupportedExpr(call, "Math.Clamp with bounds that are not constants in order (it throws when min > max)",
                "write x < lo ? lo : x > hi ? hi : x, which never throws");
        }
        return Branch(_b.Compare(Op.Lt, x, lo), _ => lo, e => Branch(_b.Compare(Op.Gt, x, hi), _ => hi, _ => x, e), env);
    }

    /// <summary>A static, non-generic method of doubles and ints returning one: a call SymGrad can keep as it is.</summary>
    private bool IsPlainFunction(IMethodSymbol method) =>
        method.IsStatic && !method.IsGenericMethod && (method.ReturnType.SpecialType == _realSpecial || method.ReturnType.SpecialType == SpecialType.System_Int32)
        && method.Parameters.All(p => p.RefKind == RefKind.None && (p.Type.SpecialType == _realSpecial || p.Type.SpecialType == SpecialType.System_Int32))
        && method.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal;

    private int KeptCall(IInvocationOperation call, IMethodSymbol method, string? rule, Env env)
    {
        var args = method.Parameters.Select(p => Scalar(call.Arguments.First(a => a.Parameter?.Ordinal == p.Ordinal).Value, env)).ToEquatableArray();
        ValType type = method.ReturnType.SpecialType == SpecialType.System_Int32 ? ValType.Int : ValType.Double;
        return _b.Call(new CallInstr(-1, type, FullName(method), args)
        {
            Derivative = rule, Label = method.Name, Shown = method.ToDisplayString(), Where = SourceSpot.Of(CallLocation(call)),
        });
    }

    private static string FullName(IMethodSymbol method) =>
        method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + MethodParser.Identifier(method.Name);

    /// <summary>
    /// The user's [DerivativeOf] rule for <paramref name="method"/>, looked for in the method's own type and in the
    /// type of the method being differentiated (where rules for other assemblies' methods live); checked here, so a
    /// rule of the wrong shape is SG0018 on the call.
    /// </summary>
    private IMethodSymbol? RuleOf(IMethodSymbol method, IInvocationOperation call)
    {
        IEnumerable<INamedTypeSymbol> places = new[] { method.ContainingType, _callStack.Last().ContainingType }
            .Where(t => t is not null).Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (IMethodSymbol candidate in places.SelectMany(t => t.GetMembers()).OfType<IMethodSymbol>())
        {
            foreach (AttributeData attribute in candidate.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == TypeNames.DerivativeOfAttribute))
            {
                var args = attribute.ConstructorArguments;
                INamedTypeSymbol? target = args.Length == 2 ? args[0].Value as INamedTypeSymbol : candidate.ContainingType;
                string? name = args.Length == 2 ? args[1].Value as string : args.Length == 1 ? args[0].Value as string : null;
                if (name != method.Name || !SymbolEqualityComparer.Default.Equals(target, method.ContainingType)) continue;
                if (!method.Parameters.Select(p => p.Type).SequenceEqual(candidate.Parameters.Select(p => p.Type), SymbolEqualityComparer.Default)) continue; // a rule of another overload
                CheckRule(candidate, method, call);
                return candidate;
            }
        }
        return null;
    }

    /// <summary>The most arguments a function with a rule may have: its partials come back as one tuple (Item1..Item7).</summary>
    private const int MaxRuleArguments = 7;

    private void CheckRule(IMethodSymbol rule, IMethodSymbol method, IInvocationOperation call)
    {
        SpecialType real = _realSpecial;
        string name = RealName;
        void Bad(string why) => throw new LoweringException(DiagnosticDescriptors.InvalidDerivativeRule, CallLocation(call), rule.Name, method.Name, why);
        int n = method.Parameters.Length;
        if (!method.IsStatic || method.IsGenericMethod || method.ReturnType.SpecialType != real
            || n is < 1 or > MaxRuleArguments || method.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.SpecialType != real))
        {
            Bad($"is for a method SymGrad cannot keep as a call: write '{method.Name}' as a static method of one to {MaxRuleArguments} {name}s returning a {name}");
        }
        if (!rule.IsStatic || rule.IsGenericMethod) Bad("must be a static, non-generic method");
        if (rule.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected) Bad("must be internal or public: the generated code calls it");
        bool returns = n == 1
            ? rule.ReturnType.SpecialType == real
            : rule.ReturnType is INamedTypeSymbol { IsTupleType: true } tuple && tuple.TupleElements.Length == n
              && tuple.TupleElements.All(e => e.Type.SpecialType == real);
        if (!returns)
        {
            Bad(n == 1 ? $"must return a {name}: the derivative"
                : $"must return ({string.Join(", ", Enumerable.Repeat(name, n))}): the partial derivatives with respect to each argument, in order");
        }
    }

    internal static bool IsDifferentiable(IMethodSymbol method) =>
        method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TypeNames.DifferentiableAttribute);

    /// <summary>
    /// Inlines a call to another [Differentiable] method: its body is lowered with its parameters bound to the
    /// argument values, so the caller's gradient flows through it with no call at run time.
    /// </summary>
    private int Inline(IInvocationOperation call, IMethodSymbol callee, Env env) => InlineLeaves(call, callee, env) is { Length: 1 } one ? one[0]
        : throw UnsupportedExpr(call, $"The call '{Shorten(call.Syntax.ToString())}' as a number", "assign its struct result to a local and read its members");

    /// <summary>An inlined [Differentiable] callee's result: its value, or the leaves of the struct it returns.</summary>
    private int[] InlineLeaves(IInvocationOperation call, IMethodSymbol callee, Env env)
    {
        CheckRecursion(call, callee);
        // An instance callee on this (a model's layer method) reads the fields of the same object.
        bool onThis = !callee.IsStatic && call.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };
        // Or on a model object held in a field (L1.Forward(x)): its fields are read under that field's path.
        string thisPath = _thisPath;
        if (!callee.IsStatic && call.Instance is IFieldReferenceOperation objectField && FieldReader.IsModelObject(objectField.Type)
            && FieldReader.PathOf(objectField, _thisPath, false) is { } at)
        {
            onThis = true;
            thisPath = at.Path + ".";
        }
        if (!callee.IsStatic && (callee.IsVirtual || callee.IsAbstract || callee.IsOverride) && !callee.IsSealed && !callee.ContainingType.IsSealed)
        {
            throw UnsupportedExpr(call, $"The call of the virtual method '{callee.ToDisplayString()}'",
                "an override may run instead of the body SymGrad reads; make the method non-virtual, or sealed, or the class sealed");
        }
        if (!callee.IsStatic && !onThis && call.Instance is { } other)
        {
            throw UnsupportedExpr(call, $"The call of '{callee.Name}' on '{Shorten(other.Syntax.ToString())}', which is no field of this holding a model object",
                "hold the layer in a field of the model (public Layer L1;), whose fields SymGrad follows, or pass what the method needs as parameters");
        }
        if (!callee.IsStatic && !onThis || callee.IsGenericMethod || (callee.ReturnType.SpecialType != _realSpecial && ShapeOf(callee.ReturnType) is null)
            || callee.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_ct) is not MethodDeclarationSyntax declaration
            || (declaration.Body is null && declaration.ExpressionBody is null))
        {
            throw new LoweringException(DiagnosticDescriptors.UnsupportedCall, CallLocation(call), callee.ToDisplayString());
        }
        SemanticModel model = _compilation.GetSemanticModel(declaration.SyntaxTree);
        if (model.GetOperation(declaration, _ct) is not IMethodBodyOperation body)
        {
            throw new LoweringException(DiagnosticDescriptors.UnsupportedCall, CallLocation(call), callee.ToDisplayString());
        }

        var calleeEnv = new Env();
        // The fields and static data the method reads are bound once for every body inlined into it.
        foreach (KeyValuePair<VarKey, int> kv in env.Scalars.Where(kv => kv.Key.Symbol is IFieldSymbol or IPropertySymbol)) calleeEnv.Scalars[kv.Key] = kv.Value;
        foreach (KeyValuePair<VarKey, ArrayBinding> kv in env.Arrays.Where(kv => kv.Key.Symbol is IFieldSymbol or IPropertySymbol)) calleeEnv.Arrays[kv.Key] = kv.Value;
        BindArguments(call, calleeEnv, env, argument => UnsupportedExpr(argument, $"The {argument.Parameter!.RefKind.ToString().ToLowerInvariant()} argument '{Shorten(argument.Syntax.ToString())}' of '{callee.Name}'",
            "pass it by value (or in), and return what the callee computes"));
        // Reported on the method itself (its name), not deep inside a callee.
        if (_b.Count > MaxInstructions) throw new LoweringException(DiagnosticDescriptors.MethodTooLarge, _callStack.Last().Locations.FirstOrDefault(), _rootName, MaxInstructions.ToString());
        try
        {
            string outer = _thisPath;
            _thisPath = thisPath;
            try
            {
                return ResultOf(callee, LowerInlined(callee, body, calleeEnv), calleeEnv, call);
            }
            finally
            {
                _thisPath = outer;
            }
        }
        catch (LoweringException inner) when (inner.Info.Id != DiagnosticDescriptors.Recursion.Id && inner.Info.Id != DiagnosticDescriptors.MethodTooLarge.Id)
        {
            throw new LoweringException(DiagnosticDescriptors.CalleeNotDifferentiable, CallLocation(call), callee.ToDisplayString(), inner.Info.Id);
        }
    }

    /// <summary>SG0010 when <paramref name="callee"/> is already being inlined on this path.</summary>
    private void CheckRecursion(IOperation call, IMethodSymbol callee)
    {
        if (!_callStack.Any(m => SymbolEqualityComparer.Default.Equals(m, callee.OriginalDefinition))) return;
        string path = string.Join(" -> ", _callStack.Reverse().Select(m => m.Name).Concat(new[] { callee.Name }));
        throw new LoweringException(DiagnosticDescriptors.Recursion, call is IInvocationOperation invocation ? CallLocation(invocation) : call.Syntax.GetLocation(), _rootName, path);
    }

    /// <summary>Binds each parameter of an inlined callee to its argument's value or array; a ref argument is <paramref name="byRef"/>'s error.</summary>
    private void BindArguments(IInvocationOperation call, Env calleeEnv, Env env, Func<IArgumentOperation, LoweringException> byRef)
    {
        foreach (IArgumentOperation argument in call.Arguments)
        {
            IParameterSymbol parameter = argument.Parameter!;
            if (parameter.RefKind is not (RefKind.None or RefKind.In)) throw byRef(argument);
            BindParameter(parameter, argument.Value, calleeEnv, env, argument);
        }
    }

    /// <summary>An inlined body, its returns ending it (not the caller's loop), the caller's source position restored after.</summary>
    private int LowerInlined(IMethodSymbol callee, IOperation body, Env calleeEnv, bool returnsVoid = false)
    {
        int saved = _b.Origin;
        int depth = _loopDepth;
        _loopDepth = 0;
        try
        {
            return LowerMethodBody(callee.OriginalDefinition, body, calleeEnv, returnsVoid);
        }
        finally
        {
            _loopDepth = depth;
            _b.Origin = saved;
        }
    }

    /// <summary>
    /// Inlines a call to a local function of the method: its body is lowered with its parameters bound to the
    /// arguments and the variables it captures read as they stand at the call (C#'s semantics for reads).
    /// </summary>
    private int InlineLocalFunction(IInvocationOperation call, IMethodSymbol callee, Env env) => InlineLocalFunctionLeaves(call, callee, env) is { Length: 1 } one ? one[0]
        : throw UnsupportedExpr(call, $"The call '{Shorten(call.Syntax.ToString())}' as a number", "assign its struct result to a local and read its members");

    private int[] InlineLocalFunctionLeaves(IInvocationOperation call, IMethodSymbol callee, Env env)
    {
        if (callee.IsGenericMethod || (!IsScalarResult(callee) && ShapeOf(callee.ReturnType) is null)
            || callee.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_ct) is not LocalFunctionStatementSyntax declaration
            || _compilation.GetSemanticModel(declaration.SyntaxTree).GetOperation(declaration, _ct) is not ILocalFunctionOperation { Body: { } body })
        {
            throw UnsupportedExpr(call, $"The call of the local function '{callee.Name}'",
                $"give it a {RealName} (or int) result and a body, or move it out as a [Differentiable] static method");
        }
        return InlineClosureLeaves(call, callee, body, env, $"The local function '{callee.Name}'");
    }

    private bool IsScalarResult(IMethodSymbol callee) =>
        callee.ReturnType.SpecialType == _realSpecial || callee.ReturnType.SpecialType == SpecialType.System_Int32;

    /// <summary>
    /// A local function's or a lambda's body inlined at a call: its parameters bound to the arguments by position,
    /// what it captures read as it stands at the call. One that assigns a captured variable is SG0011: the
    /// assignment would have to flow back out of the call.
    /// </summary>
    private int InlineClosure(IInvocationOperation call, IMethodSymbol callee, IOperation body, Env env, string what) =>
        InlineClosureLeaves(call, callee, body, env, what) is { Length: 1 } one ? one[0]
            : throw UnsupportedExpr(call, $"The call '{Shorten(call.Syntax.ToString())}' as a number", "assign its struct result to a local and read its members");

    private int[] InlineClosureLeaves(IInvocationOperation call, IMethodSymbol callee, IOperation body, Env env, string what)
    {
        CheckRecursion(call, callee);
        foreach (ISymbol changed in MutatedThroughMembers(body).Where(s => s is ILocalSymbol or IParameterSymbol && !IsOwnedBy(s.ContainingSymbol, callee)))
        {
            throw UnsupportedExpr(call, $"{what} calling a member that changes '{changed.Name}' of the method around it",
                "return the new value and assign it at the call, or pass what it needs as parameters");
        }
        foreach (IOperation write in body.Descendants().Where(d => d is ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation or IDeconstructionAssignmentOperation))
        {
            IOperation target = write switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IIncrementOrDecrementOperation step => step.Target,
                _ => write,
            };
            if (target.DescendantsAndSelf().Any(t => t is ILocalReferenceOperation l && !IsOwnedBy(l.Local.ContainingSymbol, callee)
                                                     || t is IParameterReferenceOperation p && !IsOwnedBy(p.Parameter.ContainingSymbol, callee)))
            {
                throw UnsupportedExpr(write, $"{what} assigning '{Shorten(target.Syntax.ToString())}' of the method around it",
                    "return the new value and assign it at the call, or pass what it needs as parameters");
            }
        }

        // What it captures, as it stands at the call; its parameters bound to the arguments.
        var calleeEnv = new Env();
        foreach (KeyValuePair<VarKey, int> kv in env.Scalars) calleeEnv.Scalars[kv.Key] = kv.Value;
        foreach (KeyValuePair<VarKey, ArrayBinding> kv in env.Arrays) calleeEnv.Arrays[kv.Key] = kv.Value;
        foreach (IArgumentOperation argument in call.Arguments)
        {
            // By position: a lambda's arguments name the delegate's Invoke parameters, not the lambda's own.
            IParameterSymbol parameter = callee.Parameters[argument.Parameter!.Ordinal];
            if (argument.Parameter.RefKind != RefKind.None || parameter.RefKind != RefKind.None)
            {
                throw UnsupportedExpr(argument, $"The {argument.Parameter.RefKind.ToString().ToLowerInvariant()} argument '{Shorten(argument.Syntax.ToString())}'", "pass it by value");
            }
            BindParameter(parameter, argument.Value, calleeEnv, env, argument);
        }
        return ResultOf(callee, LowerInlined(callee, body, calleeEnv), calleeEnv, call);
    }

    /// <summary>Whether <paramref name="owner"/> is <paramref name="callee"/> or a lambda or local function inside it.</summary>
    private static bool IsOwnedBy(ISymbol? owner, IMethodSymbol callee)
    {
        for (ISymbol? s = owner; s is not null; s = s.ContainingSymbol)
        {
            if (SymbolEqualityComparer.Default.Equals(s, callee)) return true;
            if (s is not IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction }) return false;
        }
        return false;
    }

    private static Location CallLocation(IInvocationOperation call) =>
        call.Syntax is InvocationExpressionSyntax invocation ? invocation.Expression.GetLocation() : call.Syntax.GetLocation();
}
