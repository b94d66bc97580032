using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Parsing;

/// <summary>
/// Lowers a method body (as Roslyn's IOperation tree) into IR: loops with constant bounds are unrolled, local
/// arrays scalarised, calls to other [Differentiable] methods inlined, and if/else kept as regions with phis.
/// An early return is handled structurally: the statements after an if whose branch returns are lowered into
/// both branches, so every path ends in exactly one return and the IR stays a tree of regions.
/// </summary>
internal sealed partial class BodyLowerer
{
    /// <summary>Unrolling stops with SG0013 past this many IR instructions.</summary>
    public const int MaxInstructions = 200_000;

    private readonly Compilation _compilation;
    private readonly IrBuilder _b;

    /// <summary>The method's floating-point type; a value of the other one is SG0019 (<see cref="CheckPrecision"/>).</summary>
    private readonly Real _real;
    private readonly SpecialType _realSpecial;
    private readonly CancellationToken _ct;
    private readonly List<string> _sourceLines = new();
    private readonly Dictionary<string, int> _sourceLineIndex = new();
    private readonly Stack<IMethodSymbol> _callStack = new();
    private readonly string _rootName;
    private int _loopDepth;

    private readonly ISet<ISymbol> _memoryArrays;

    /// <summary>For each array parameter, whether it is two-dimensional (foreach needs to know).</summary>
    private readonly Dictionary<int, bool> _parameterKinds = new();

    private readonly HashSet<int> _intArrays = new();

    public void DeclareArrayParameter(int param, bool twoDimensional, bool ofInts)
    {
        _parameterKinds[param] = twoDimensional;
        if (ofInts) _intArrays.Add(param);
    }

    /// <summary>
    /// Binds the vector output (parameter <paramref name="param"/>) as a local array in memory: the caller's span,
    /// written by the body like any local array, so that every pass treats it as one (<see cref="ArraySource"/>).
    /// </summary>
    public ArrayBinding DeclareOutput(int param, string name)
    {
        int memory = _b.NewId();
        int length = _b.Length(param, 0);
        _b.AddEffect(new NewArray(memory, length, -1, name) { Source = new ArraySource(ArraySourceKind.Output, param) });
        return ArrayBinding.ForLocal(LocalArray.InMemory(name, memory, length, -1));
    }

    /// <param name="memoryArrays">Local arrays to keep in memory from their declaration (a loop indexes them at run time).</param>
    public BodyLowerer(Compilation compilation, string rootName, ISet<ISymbol> memoryArrays, Real real, CancellationToken ct)
    {
        _real = real;
        _realSpecial = real == Real.Single ? SpecialType.System_Single : SpecialType.System_Double;
        _b = new IrBuilder(0, real);
        _compilation = compilation;
        _memoryArrays = memoryArrays;
        _rootName = rootName;
        _ct = ct;
    }

    public IrBuilder Builder => _b;

    public IReadOnlyList<string> SourceLines => _sourceLines;

    /// <summary>Lowers the body of <paramref name="method"/> with its parameters bound in <paramref name="env"/>; returns the returned value.</summary>
    /// <param name="returnsVoid">The method writes a vector output and returns nothing: its end and each <c>return;</c> return 0.</param>
    public int LowerMethodBody(IMethodSymbol method, IOperation body, Env env, bool returnsVoid = false)
    {
        _callStack.Push(method);
        try
        {
            Lower(new Work(body, returnsVoid ? Work.EndOfVoidMethod : null), env);
        }
        catch (LoweringException e) when (_callStack.Count == 1 && _errors.Count > 0)
        {
            throw Aggregate(e); // an error that stops lowering (SG0013), after independent ones recorded before it
        }
        finally
        {
            _callStack.Pop();
        }
        if (_callStack.Count == 0 && _errors.Count > 0) throw Aggregate(null);
        if (env.Return is not int result)
        {
            throw new LoweringException(DiagnosticDescriptors.UnsupportedStatement, body.Syntax.GetLocation(),
                "A path that ends without a return", "end every path with return");
        }
        return result;
    }

    /// <summary>Lowers statements until the work runs out or a return is reached.</summary>
    private void Lower(Work? work, Env env)
    {
        while (work is not null)
        {
            _ct.ThrowIfCancellationRequested();
            if (work.IsEndOfVoidMethod)
            {
                // Falling off the end of a void method: the path returns, with no value.
                env.Return = _b.Const(0.0);
                return;
            }
            IOperation op = work.Head!;
            work = work.Tail;
            if (!Recovering)
            {
                if (LowerStatement(op, ref work, env)) return;
                continue;
            }
            int depth = _b.Depth, loopDepth = _loopDepth;
            try
            {
                PropagatePoison(op);
                if (LowerStatement(op, ref work, env)) return;
            }
            catch (LoweringException e) when (IsRecoverable(e))
            {
                // Skip the statement and go on, so that independent errors after it are reported too.
                _b.Unwind(depth);
                _loopDepth = loopDepth;
                Record(e, op);
                if (ContainsReturn(op) || ContainsLoopExit(op)) return; // this path's end is lost: stop the path here
            }
        }
    }

    /// <summary>Lowers one statement; returns true when the path ended (a return was reached).</summary>
    private bool LowerStatement(IOperation op, ref Work? work, Env env)
    {
        {
            switch (op)
            {
                case IBlockOperation block:
                    work = Work.Prepend(block.Operations, work);
                    break;
                case IMethodBodyBaseOperation body:
                    work = new Work((IOperation?)body.BlockBody ?? body.ExpressionBody!, work);
                    break;
                case IEmptyOperation:
                case ILocalFunctionOperation: // lowered where it is called (inlined)
                    break;
                case ILabeledOperation labeled when _poisoned.Contains(labeled.Label):
                    // The target of a goto already reported: the label is part of that error, not another one.
                    if (labeled.Operation is { } labeledStatement) work = new Work(labeledStatement, work);
                    break;
                case IBranchOperation { BranchKind: BranchKind.Break } exit when _keptLoops.Count > 0 && SymbolEqualityComparer.Default.Equals(exit.Target, _keptLoops.Peek().ExitLabel):
                    // The iteration ends here and the loop with it: its flag is set, the rest of the body not lowered on this path.
                    env.Scalars[_keptLoops.Peek().ExitLabel] = _b.Bool(true);
                    return true;
                case IBranchOperation { BranchKind: BranchKind.Continue } next when _keptLoops.Count > 0 && SymbolEqualityComparer.Default.Equals(next.Target, _keptLoops.Peek().ContinueLabel):
                    return true; // the iteration ends here: the rest of the body is not lowered on this path
                case IReturnOperation { ReturnedValue: { } value } ret when ShapeOf(_callStack.Peek().ReturnType) is { } shape:
                    SetOrigin(op);
                    ReturnComposite(ret, shape, env);
                    return true;
                case IReturnOperation ret:
                    SetOrigin(op);
                    int returned = ret.ReturnedValue is null ? _b.Const(0.0) : Scalar(ret.ReturnedValue, env); // return; in a void method
                    if (_loopDepth > 0) ReturnFromLoop(returned, env);
                    else env.Return = returned;
                    return true;
                case IConditionalOperation cond:
                    if (LowerIf(cond, work, env)) return true;
                    break;
                case ISwitchOperation @switch:
                    if (LowerSwitch(@switch, work, env)) return true;
                    break;
                case IForLoopOperation loop:
                    LowerFor(loop, env);
                    if (AfterLoop(loop, work, env)) return true;
                    break;
                case IWhileLoopOperation loop:
                    LowerWhile(loop, env);
                    if (AfterLoop(loop, work, env)) return true;
                    break;
                case IForEachLoopOperation loop:
                    LowerForEach(loop, env);
                    if (AfterLoop(loop, work, env)) return true;
                    break;
                case IVariableDeclarationGroupOperation group:
                    SetOrigin(op);
                    foreach (IVariableDeclarationOperation decl in group.Declarations)
                    {
                        foreach (IVariableDeclaratorOperation declarator in decl.Declarators) Declare(declarator, env);
                    }
                    break;
                case IExpressionStatementOperation { Operation: IInvocationOperation call } when IsSideCall(call):
                    SetOrigin(op);
                    LowerSideCall(call, env);
                    break;
                case IExpressionStatementOperation stmt:
                    SetOrigin(op);
                    LowerExpression(stmt.Operation, env);
                    break;
                default:
                    throw Unsupported(op, StatementName(op), StatementAdvice(op));
            }
        }
        return false;
    }

    /// <summary>Lowers an if statement; returns true when it consumed the rest of the work (a branch returns).</summary>
    private bool LowerIf(IConditionalOperation cond, Work? rest, Env env)
    {
        SetOrigin(cond.Condition);
        int c = Scalar(cond.Condition, env);
        bool returns = ContainsReturn(cond.WhenTrue) || (cond.WhenFalse is not null && ContainsReturn(cond.WhenFalse));
        return LowerBranch(cond.Condition, c, returns, ContainsLoopExit(cond), rest, env,
            (tail, e) => Lower(new Work(cond.WhenTrue, tail), e),
            (tail, e) => Lower(cond.WhenFalse is null ? tail : new Work(cond.WhenFalse, tail), e));
    }

    /// <summary>
    /// A real two-way branch of statements on <paramref name="c"/>: <paramref name="whenTrue"/> and
    /// <paramref name="whenFalse"/> lower each side, given the work that follows them on that side. Returns true when
    /// the branch consumed the rest of the work: a side returns, or leaves the loop's iteration (break, continue).
    /// </summary>
    private bool LowerBranch(IOperation where, int c, bool returns, bool exits, Work? rest, Env env,
                             Action<Work?, Env> whenTrue, Action<Work?, Env> whenFalse)
    {
        if (_b.TryGetConst(c, out double known))
        {
            // A condition known at compile time (often after unrolling) picks its branch statically.
            (known != 0 ? whenTrue : whenFalse)(rest, env);
            return true; // the rest of the work was lowered on this path
        }

        // A branch that leaves the iteration (break, continue, or a return, which leaves every loop) takes the rest
        // of the body into both branches too; the carried variables then meet in phis after the if, as for any if.
        exits = (returns && _loopDepth > 0) || (!returns && exits);
        if (_loopDepth > 0) returns = false;
        Work? tail = returns || exits ? rest : null;

        Env thenEnv = env.Clone(), elseEnv = env.Clone();
        _b.PushBlock();
        whenTrue(tail, thenEnv);
        Block thenBlock = _b.PopBlock();
        _b.PushBlock();
        whenFalse(tail, elseEnv);
        Block elseBlock = _b.PopBlock();

        var phis = new List<Phi>();
        if (returns)
        {
            if (thenEnv.Return is not int rt || elseEnv.Return is not int re)
            {
                // A path whose return failed to lower has its error recorded already: no output will be made.
                if (_errors.Count == 0) throw Unsupported(where, "A path that ends without a return", "end every path with return");
                rt = re = thenEnv.Return ?? elseEnv.Return ?? _b.Const(0.0);
            }
            env.Return = MakePhi(phis, rt, re, "result");
            MergeReturned(env, thenEnv, elseEnv, phis);
        }
        else
        {
            MergeInto(env, thenEnv, elseEnv, phis);
        }
        _b.Origin = OriginOf(where);
        _b.AddIf(c, thenBlock, elseBlock, phis);
        return returns || exits;
    }

    /// <summary>
    /// A switch statement as a chain of real branches, section by section in source order (the default section
    /// last, whatever its place, as C# takes it only when no case matches). Each section's statements run up to its
    /// closing <c>break</c>; a section may also end in return, or continue or break of an enclosing loop. A
    /// <c>break</c> of the switch elsewhere in a section is SG0011.
    /// </summary>
    private bool LowerSwitch(ISwitchOperation @switch, Work? rest, Env env)
    {
        foreach (ISwitchCaseOperation section in @switch.Cases)
        {
            for (int k = 0; k < section.Body.Length; k++)
            {
                bool last = k == section.Body.Length - 1;
                IBranchOperation? early = section.Body[k].DescendantsAndSelf().OfType<IBranchOperation>().FirstOrDefault(b =>
                    SymbolEqualityComparer.Default.Equals(b.Target, @switch.ExitLabel) && !(last && ReferenceEquals(b, section.Body[k])));
                if (early is not null)
                {
                    throw Unsupported(early, "A break out of the middle of a switch section",
                        "put the rest of the section under an if, so that its only break is its last statement");
                }
            }
        }
        SetOrigin(@switch.Value);
        int value = Scalar(@switch.Value, env);
        var ordered = @switch.Cases.Where(c => !c.Clauses.Any(k => k is IDefaultCaseClauseOperation))
            .Concat(@switch.Cases.Where(c => c.Clauses.Any(k => k is IDefaultCaseClauseOperation))).ToList();
        bool returns = ContainsReturn(@switch);
        bool exits = _keptLoops.Count > 0 && @switch.Cases.Any(c => c.Body.Any(ContainsLoopExit));
        // As for an if: a section that returns or leaves the iteration takes the rest of the work into every path.
        bool consumes = returns || exits;
        SwitchSections(@switch, ordered, 0, value, returns, exits, consumes ? rest : null, env);
        return consumes;
    }

    private void SwitchSections(ISwitchOperation @switch, IReadOnlyList<ISwitchCaseOperation> sections, int index, int value,
                                bool returns, bool exits, Work? rest, Env env)
    {
        if (index == sections.Count)
        {
            Lower(rest, env); // no section matched: nothing runs
            return;
        }
        ISwitchCaseOperation section = sections[index];
        // The statements of the section, without the break that closes it.
        var body = section.Body.Where(b => !(b is IBranchOperation { BranchKind: BranchKind.Break } exit
            && SymbolEqualityComparer.Default.Equals(exit.Target, @switch.ExitLabel))).ToList();
        Action<Work?, Env> chosen = (tail, e) => Lower(Work.Prepend(body, tail), e);
        if (section.Clauses.Any(k => k is IDefaultCaseClauseOperation))
        {
            chosen(rest, env); // the default section is last: it runs when nothing before matched
            return;
        }
        Action<Work?, Env> next = (tail, e) => SwitchSections(@switch, sections, index + 1, value, returns, exits, tail, e);
        MatchClauses(section.Clauses, 0, value, returns, exits, rest, env, chosen, next);
    }

    /// <summary>A section's clauses from <paramref name="k"/> on: any of them matching (its guard too) chooses the section.</summary>
    private void MatchClauses(IReadOnlyList<ICaseClauseOperation> clauses, int k, int value, bool returns, bool exits, Work? rest, Env env,
                              Action<Work?, Env> chosen, Action<Work?, Env> next)
    {
        if (k == clauses.Count)
        {
            next(rest, env);
            return;
        }
        ICaseClauseOperation clause = clauses[k];
        Action<Work?, Env> otherwise = (tail, e) => MatchClauses(clauses, k + 1, value, returns, exits, tail, e, chosen, next);
        SetOrigin(clause);
        switch (clause)
        {
            case ISingleValueCaseClauseOperation single:
                LowerBranch(clause, _b.Compare(Ir.Op.Eq, value, Scalar(single.Value, env)), returns, exits, rest, env, chosen, otherwise);
                break;
            case IPatternCaseClauseOperation { Guard: null } pattern:
                LowerBranch(clause, Pattern(value, pattern.Pattern, env), returns, exits, rest, env, chosen, otherwise);
                break;
            case IPatternCaseClauseOperation guarded:
                LowerBranch(clause, Pattern(value, guarded.Pattern, env), returns, exits, rest, env,
                    (tail, e) => LowerBranch(guarded.Guard!, Scalar(guarded.Guard!, e), returns, exits, tail, e, chosen, otherwise),
                    otherwise);
                break;
            default:
                throw Unsupported(clause, "This case clause", "write case constants and patterns of comparisons (case 0:, case > 1 when x < 2:)");
        }
    }

    /// <summary>Variables assigned differently on the two paths get a phi; those declared inside a branch go out of scope.</summary>
    private void MergeInto(Env env, Env thenEnv, Env elseEnv, List<Phi> phis)
    {
        foreach (KeyValuePair<VarKey, int> kv in thenEnv.Scalars)
        {
            if (!elseEnv.Scalars.TryGetValue(kv.Key, out int other)) continue;
            env.Scalars[kv.Key] = kv.Value == other ? other : MakePhi(phis, kv.Value, other, VariableName(kv.Key));
        }
        var merged = new HashSet<LocalArray>(ReferenceComparer<LocalArray>.Instance);
        foreach (KeyValuePair<VarKey, ArrayBinding> kv in env.Arrays.ToList())
        {
            if (kv.Value.Local is not { } local || !merged.Add(local)) continue; // an alias of an array already merged
            LocalArray t = thenEnv.Arrays[kv.Key].Local!, e = elseEnv.Arrays[kv.Key].Local!;
            for (int i = 0; i < local.Slots.Length; i++)
            {
                local.Slots[i] = t.Slots[i] == e.Slots[i] ? t.Slots[i] : MakePhi(phis, t.Slots[i], e.Slots[i], ElementName(local, i));
            }
        }
    }

    private int MakePhi(List<Phi> phis, int then, int @else, string? name)
    {
        int id = _b.NewId();
        phis.Add(new Phi(id, _b.TypeOf(then), then, @else, name));
        return id;
    }

    /// <summary>Whether a statement holds a break or continue of the innermost loop being kept.</summary>
    private bool ContainsLoopExit(IOperation op) =>
        _keptLoops.Count > 0 && op.DescendantsAndSelf().OfType<IBranchOperation>().Any(b =>
            SymbolEqualityComparer.Default.Equals(b.Target, _keptLoops.Peek().ExitLabel) || SymbolEqualityComparer.Default.Equals(b.Target, _keptLoops.Peek().ContinueLabel));

    private static bool ContainsReturn(IOperation op) =>
        op is IReturnOperation || op.Descendants().Any(d => d is IReturnOperation);

    private void SetOrigin(IOperation op) => _b.Origin = OriginOf(op);

    /// <summary>The source line a statement came from, as "line N: text" (with the callee's name when inlined).</summary>
    private int OriginOf(IOperation op)
    {
        // Unrolling visits the same statement many times: its text is computed once per (callee, statement).
        var cacheKey = (op.Syntax, _callStack.Count > 1 ? _callStack.Peek().Name : "");
        if (_originCache.TryGetValue(cacheKey, out int cached)) return cached;
        int index = ComputeOrigin(op);
        _originCache[cacheKey] = index;
        return index;
    }

    private readonly Dictionary<(SyntaxNode, string), int> _originCache = new();

    private int ComputeOrigin(IOperation op)
    {
        SyntaxNode syntax = op.Syntax;
        if (syntax.Parent is ExpressionStatementSyntax or ReturnStatementSyntax) syntax = syntax.Parent;
        string text = syntax.ToString();
        int newline = text.IndexOfAny(new[] { '\r', '\n' });
        if (newline >= 0) text = text.Substring(0, newline).TrimEnd() + " ...";
        int line = syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
        string where = _callStack.Count > 1 ? CalleeName(_callStack.Peek()) + ", line " : "line ";
        string key = where + line + ": " + text.Replace("*/", "* /");
        if (!_sourceLineIndex.TryGetValue(key, out int index))
        {
            index = _sourceLines.Count;
            _sourceLines.Add(key);
            _sourceLineIndex[key] = index;
        }
        return index;
    }


    private static string StatementName(IOperation op) => op switch
    {
        IWhileLoopOperation w when w.Syntax is DoStatementSyntax => "A do-while loop",
        IWhileLoopOperation => "A while loop",
        IForEachLoopOperation => "A foreach loop",
        IBranchOperation b when b.Syntax is GotoStatementSyntax => "A goto statement",
        IBranchOperation b => $"A '{b.Syntax}' statement",
        ITryOperation => "A try statement",
        ISwitchOperation => "A switch statement",
        IUsingOperation or IUsingDeclarationOperation => "A using statement",
        ILockOperation => "A lock statement",
        ILocalFunctionOperation => "A local function",
        IThrowOperation => "A throw statement",
        ILabeledOperation => "A labeled statement",
        _ => $"The statement '{Shorten(op.Syntax.ToString())}'",
    };

    private static string Shorten(string text)
    {
        text = text.Replace("\r", " ").Replace("\n", " ");
        return text.Length > 60 ? text.Substring(0, 57) + "..." : text;
    }


    private static LoweringException Unsupported(IOperation op, string what, string instead)
    {
        Location location = op.Syntax switch
        {
            StatementSyntax s when s.ChildTokens().FirstOrDefault() is { } keyword && keyword.IsKeyword() => keyword.GetLocation(),
            _ => op.Syntax.GetLocation(),
        };
        return new LoweringException(DiagnosticDescriptors.UnsupportedStatement, location, what, instead);
    }

    private static string ElementName(LocalArray array, int flat) =>
        array.Length1 < 0 ? $"{array.Name}_{flat}" : $"{array.Name}_{flat / array.Length1}_{flat % array.Length1}";
}
