using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Parsing;

/// <summary>
/// Loops. A <c>for</c> loop whose trip count is a compile-time constant and whose body is small is unrolled (the
/// code after it sees constants, and small fixed-size networks become straight-line code); every other loop is kept
/// as a <see cref="LoopRegion"/>: the variables it assigns that live on after an iteration are its carried
/// variables, its condition is its header, and its body is lowered once.
/// </summary>
internal sealed partial class BodyLowerer
{
    /// <summary>
    /// A constant loop of at most <see cref="UnrollTrips"/> iterations is unrolled while its trip count times the
    /// operations in its body (times the copies the unrolled loops around it make) stays within this budget: the
    /// seed's 3-4-4-1 network over 4 samples unrolls, a 16-32-32-1 network or a 100 x 100 product stays loops.
    /// </summary>
    public const int UnrollBudget = 2048;

    /// <summary>The most iterations an unrolled loop may have.</summary>
    public const int UnrollTrips = 16;

    /// <summary>The product of the trip counts of the unrolled loops around the one being lowered (1 outside them).</summary>
    private long _unrolledCopies = 1;

    /// <summary>The <c>i++</c> and <c>i--</c> of <c>for</c> loops that cannot overflow (see <see cref="NoteStepsThatCannotOverflow"/>).</summary>
    private readonly HashSet<IOperation> _stepsThatCannotOverflow = new();

    /// <summary>
    /// In a checked context <c>for (...; i &lt; n; i++)</c> cannot overflow: the condition held for i before the step,
    /// so i &lt; int.MaxValue (and i &gt; int.MinValue for <c>i &gt; n; i--</c>), provided the body does not assign i.
    /// Such a step stays a plain <c>+ 1</c>, so the loop is still a counted loop (run backwards by a counter, printed
    /// as a <c>for</c>); every other checked int operation keeps its check.
    /// </summary>
    private void NoteStepsThatCannotOverflow(IForLoopOperation loop)
    {
        if (loop.Condition is not IBinaryOperation { LeftOperand: ILocalReferenceOperation { Local: var counter } } condition) return;
        if (Assigned(loop.Body).Contains(counter, SymbolEqualityComparer.Default)) return;
        foreach (IOperation bottom in loop.AtLoopBottom)
        {
            IOperation step = bottom is IExpressionStatementOperation statement ? statement.Operation : bottom;
            if (step is not IIncrementOrDecrementOperation { IsChecked: true, Target: ILocalReferenceOperation target } counted
                || !SymbolEqualityComparer.Default.Equals(target.Local, counter)) continue;
            bool up = counted.Kind == OperationKind.Increment;
            if (condition.OperatorKind == (up ? BinaryOperatorKind.LessThan : BinaryOperatorKind.GreaterThan)) _stepsThatCannotOverflow.Add(counted);
        }
    }

    private void LowerFor(IForLoopOperation loop, Env env)
    {
        NoteStepsThatCannotOverflow(loop);
        foreach (IOperation before in loop.Before) Lower(new Work(before, null), env);
        if (loop.Condition is null) throw new LoweringException(DiagnosticDescriptors.UnsupportedLoop, loop.Syntax.GetLocation(), "it has no condition");
        if (ConstantTrips(loop, env) is int trips)
        {
            Unroll(loop, env, trips);
            return;
        }
        KeepLoop(loop, loop.Condition, loop.Body, loop.AtLoopBottom, env);
    }

    private void LowerWhile(IWhileLoopOperation loop, Env env)
    {
        if (loop.Condition is null) throw new LoweringException(DiagnosticDescriptors.UnsupportedLoop, loop.Syntax.GetLocation(), "it has no condition");
        if (loop.ConditionIsUntil) throw Unsupported(loop, "An until loop", "write a while loop");
        if (!loop.ConditionIsTop)
        {
            // do { B } while (c) runs B once, then as a while loop: the first iteration is lowered on its own, as an
            // iteration of the loop (a break there sets the flag the loop then tests, a continue goes to c).
            if (ContainsReturn(loop.Body) || Breaks(loop, loop.Body)) env.Scalars[loop.ExitLabel] = _b.Bool(false);
            if (ContainsReturn(loop.Body)) OpenReturnSlots(env);
            var outside = new HashSet<ISymbol>(env.Scalars.Keys.Select(k => k.Symbol).Concat(env.Arrays.Keys.Select(k => k.Symbol)), SymbolEqualityComparer.Default);
            _loopDepth++;
            _keptLoops.Push(loop);
            try
            {
                Lower(new Work(loop.Body, null), env);
            }
            finally
            {
                _keptLoops.Pop();
                _loopDepth--;
            }
            // The body's own locals end with the first iteration: left in scope, the loop would carry them from it.
            foreach (ISymbol local in env.Scalars.Keys.Select(k => k.Symbol).Concat(env.Arrays.Keys.Select(k => k.Symbol)).OfType<ILocalSymbol>().Where(l => !outside.Contains(l)).ToList())
            {
                env.Forget(local);
            }
        }
        KeepLoop(loop, loop.Condition, loop.Body, System.Array.Empty<IOperation>(), env);
    }

    /// <summary>
    /// The trip count of a <c>for</c> loop whose condition reads only variables that the body leaves alone and the
    /// steps move by constants, when it is a compile-time constant within <see cref="UnrollBudget"/>; otherwise null.
    /// </summary>
    private int? ConstantTrips(IForLoopOperation loop, Env env)
    {
        var condVars = new HashSet<ISymbol>(loop.Condition!.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Select(l => (ISymbol)l.Local), SymbolEqualityComparer.Default);
        if (Assigned(loop.Body).Any(condVars.Contains)) return null;
        // A loop that breaks or continues runs its iterations to different ends: it stays a loop.
        if (loop.Body.DescendantsAndSelf().OfType<IBranchOperation>().Any(b => SymbolEqualityComparer.Default.Equals(b.Target, loop.ExitLabel) || SymbolEqualityComparer.Default.Equals(b.Target, loop.ContinueLabel))) return null;
        if (ContainsReturn(loop.Body)) return null; // so does one that returns
        if (loop.AtLoopBottom.Any(step => Assigned(step).Any(s => !condVars.Contains(s)))) return null;
        // Unrolling buys nothing for a loop that walks the rows of a differentiated 2-D array picked at run time
        // (w[i, j] inside a kept loop over i): the adjoints stay memory either way, and a loop reads a row taken
        // once where unrolled code checks every constant index. (At constant rows, as in the seed's network, the
        // unrolled elements become scalars with scalar adjoints: those loops are unrolled.)
        if (WalksRuntimeRows(loop.Body, condVars, env)) return null;
        int cost = System.Math.Max(1, loop.Body.DescendantsAndSelf().Count());
        Env sim = env.Clone();
        for (int trips = 0; ; trips++)
        {
            _ct.ThrowIfCancellationRequested();
            if (!condVars.All(v => sim.Scalars.TryGetValue(v, out int value) && _b.TryGetConst(value, out _))) return null;
            int c = Scalar(loop.Condition!, sim);
            if (!_b.TryGetConst(c, out double go)) return null;
            if (go == 0) return trips;
            // Copies multiply: an inner loop is charged for every copy its unrolled outer loops make of it.
            if (trips + 1 > UnrollTrips || _unrolledCopies * (trips + 1) * cost > UnrollBudget) return null;
            foreach (IOperation step in loop.AtLoopBottom) Lower(new Work(step, null), sim);
        }
    }

    private void Unroll(IForLoopOperation loop, Env env, int trips)
    {
        _unrolledCopies *= trips;
        try
        {
            for (int k = 0; k < trips; k++)
            {
                _ct.ThrowIfCancellationRequested();
                if (_b.Count > MaxInstructions) throw new LoweringException(DiagnosticDescriptors.MethodTooLarge, loop.Syntax.GetLocation(), _rootName, MaxInstructions.ToString());
                _loopDepth++;
                Lower(new Work(loop.Body, null), env);
                _loopDepth--;
                foreach (IOperation step in loop.AtLoopBottom) Lower(new Work(step, null), env);
            }
        }
        finally
        {
            _unrolledCopies /= System.Math.Max(1, trips);
        }
    }

    /// <summary>
    /// A loop kept as a loop. Every scalar the loop assigns that exists before it is carried; a local declared in the
    /// body is the iteration's own. The body is lowered once, on the carried variables' values at the iteration's start.
    /// </summary>
    /// <summary>
    /// <c>foreach (double v in a)</c> over a one-dimensional array or span: a loop over a's indices, v its element.
    /// </summary>
    private void LowerForEach(IForEachLoopOperation loop, Env env)
    {
        const string Advice = "loop over the indices instead, e.g. for (int i = 0; i < x.Length; i++) { double v = x[i]; ... }";
        ValType? controlType = loop.LoopControlVariable is IVariableDeclaratorOperation { Symbol: { } variable } ? TypeOf(variable.Type) : null;
        if (loop.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: { } control } || controlType is not (ValType.Double or ValType.Int))
        {
            throw Unsupported(loop, "A foreach loop whose variable is not one double or int", Advice);
        }
        IOperation collection = loop.Collection is IConversionOperation conversion ? conversion.Operand : loop.Collection;
        ArrayBinding array = Array(collection, env);
        // An int variable walks an int[] or ReadOnlySpan<int> parameter (labels, index tables): data, no adjoint.
        bool ofInts = array.Local is null && _intArrays.Contains(array.Param);
        if (ofInts != (controlType == ValType.Int))
        {
            throw Unsupported(loop, $"A foreach loop whose {controlType.ToString()!.ToLowerInvariant()} variable walks an array of another element type", Advice);
        }
        bool twoDimensional = array.Local is { } l ? (l.IsMemory ? l.LengthValue1 >= 0 : l.Length1 >= 0) : _parameterKinds.TryGetValue(array.Param, out bool rank2) && rank2;
        if (twoDimensional) throw Unsupported(loop, "A foreach loop over a two-dimensional array", "loop over its rows and columns with two for loops");
        if (array.Local is { IsMemory: false, Symbol: { } declared }) throw new NeedsMemoryException(declared);
        KeepLoop(loop, null, loop.Body, System.Array.Empty<IOperation>(), env, (array, control));
    }

    /// <summary>The loops being kept, innermost last: a break or continue of one ends the iteration's path.</summary>
    private readonly Stack<ILoopOperation> _keptLoops = new();

    private void KeepLoop(IOperation loop, IOperation? condition, IOperation body, IReadOnlyList<IOperation> steps, Env env,
                          (ArrayBinding Array, ILocalSymbol Control)? each = null)
    {
        // A break is a flag carried by the loop (named after nothing: the loop's exit label stands for it in the
        // environment): it is set where the source breaks, tested before the condition, and skips the steps.
        var own = (ILoopOperation)loop;
        bool returns = ContainsReturn(body);
        bool breaks = returns || Breaks(own, body);
        // A do loop's first iteration, lowered before it, may have broken already.
        if (breaks && !env.Scalars.ContainsKey(own.ExitLabel)) env.Scalars[own.ExitLabel] = _b.Bool(false);
        if (returns) OpenReturnSlots(env);
        var assigned = new HashSet<ISymbol>((condition is null ? Enumerable.Empty<ISymbol>() : Assigned(condition)).Concat(Assigned(body)).Concat(steps.SelectMany(Assigned)), SymbolEqualityComparer.Default);
        if (returns)
        {
            assigned.Add(ReturnedKey);
            assigned.Add(ResultKey);
        }
        foreach (ISymbol symbol in assigned)
        {
            // A scalarised array written in a loop that stays a loop must be memory: lower again with it in memory.
            if (env.Arrays.TryGetValue(symbol, out ArrayBinding? binding) && binding.Local is { IsMemory: false, Symbol: { } declared }) throw new NeedsMemoryException(declared);
        }
        if (condition is not null && Assigned(condition).Any())
        {
            throw new LoweringException(DiagnosticDescriptors.UnsupportedLoop, condition.Syntax.GetLocation(), $"its condition '{Shorten(condition.Syntax.ToString())}' assigns a variable");
        }
        SetOrigin(loop);
        // A struct variable assigned in the loop carries each of its numbers.
        var carried = env.Scalars.Keys.Where(k => assigned.Contains(k.Symbol)).OrderBy(k => k.Symbol.Name, System.StringComparer.Ordinal).ThenBy(k => k.Member, System.StringComparer.Ordinal).ToList();
        if (breaks && !carried.Contains(VarKey.Of(own.ExitLabel))) carried.Add(VarKey.Of(own.ExitLabel));
        Env bodyEnv = env.Clone();
        var ids = new Dictionary<VarKey, int>();
        foreach (VarKey key in carried)
        {
            int id = _b.LoopVariable(_b.TypeOf(env.Scalars[key]), VariableName(key));
            ids[key] = id;
            bodyEnv.Scalars[key] = id;
        }
        // A variable first assigned in the loop (declared before it, unassigned) is each iteration's own.
        foreach (ISymbol symbol in assigned.Where(s => !env.Scalars.Keys.Any(k => SymbolEqualityComparer.Default.Equals(k.Symbol, s)) && !env.Arrays.ContainsKey(s)).ToList())
        {
            foreach (VarKey key in bodyEnv.Scalars.Keys.Where(k => SymbolEqualityComparer.Default.Equals(k.Symbol, symbol)).ToList()) bodyEnv.Scalars.Remove(key);
        }

        // foreach: the index is the loop's own variable, counting over the collection's elements.
        int index = each is null ? -1 : _b.LoopVariable(ValType.Int, each.Value.Control.Name + "Index");
        if (index >= 0) ids[VarKey.Of(each!.Value.Control)] = index;

        _b.PushBlock();
        SetOrigin(condition ?? loop);
        int notBroken = breaks ? _b.Unary(Op.Not, ids[VarKey.Of(own.ExitLabel)]) : -1;
        int cond = condition is not null ? Scalar(condition, bodyEnv) : _b.Compare(Op.Lt, index, Length(each!.Value.Array, 0));
        if (breaks) cond = _b.Binary(Op.And, notBroken, cond);
        Block header = _b.PopBlock();
        if (condition is not null && !breaks && _b.TryGetConst(cond, out double known))
        {
            // Decided without running: never true (the body never runs), or always true (there is no break: it never ends).
            if (known == 0) return;
            throw new LoweringException(DiagnosticDescriptors.UnsupportedLoop, condition.Syntax.GetLocation(),
                $"its condition '{Shorten(condition.Syntax.ToString())}' is always true, so the loop never ends");
        }

        if (condition is not null && !DependsOn(cond, header, new HashSet<int>(ids.Values)))
        {
            throw new LoweringException(DiagnosticDescriptors.UnsupportedLoop, condition.Syntax.GetLocation(),
                $"its condition '{Shorten(condition.Syntax.ToString())}' reads nothing the loop changes, so once true it stays true and the loop never ends");
        }

        _b.PushBlock();
        _loopDepth++;
        if (each is { } e)
        {
            SetOrigin(loop);
            int element = e.Array.Local is { } memory ? _b.LoadLocal(memory.Memory, index, -1)
                : _b.Load(e.Array.Param, ParamIndex(e.Array, index), -1, _intArrays.Contains(e.Array.Param) ? ValType.Int : ValType.Double);
            bodyEnv.Scalars[e.Control] = element;
            _b.NameValue(element, e.Control.Name);
        }
        _keptLoops.Push(own);
        try
        {
            Lower(new Work(body, null), bodyEnv);
        }
        finally
        {
            _keptLoops.Pop();
        }
        double brokenValue = 0;
        bool brokenKnown = breaks && _b.TryGetConst(bodyEnv.Scalars[own.ExitLabel], out brokenValue);
        if (brokenKnown && brokenValue != 0)
        {
            // Every path of the body breaks: the steps never run (an if (true) here would be unreachable code, CS0162).
        }
        else if (breaks && steps.Count > 0 && !brokenKnown)
        {
            // The steps run only when the iteration did not break (C# leaves a for loop before its step).
            Env stepped = bodyEnv.Clone(), skipped = bodyEnv.Clone();
            _b.PushBlock();
            foreach (IOperation step in steps) Lower(new Work(step, null), stepped);
            Block stepBlock = _b.PopBlock();
            var phis = new List<Phi>();
            MergeInto(bodyEnv, skipped, stepped, phis);
            _b.AddIf(bodyEnv.Scalars[own.ExitLabel], Block.Empty, stepBlock, phis);
        }
        else
        {
            foreach (IOperation step in steps) Lower(new Work(step, null), bodyEnv);
        }
        int indexNext = index >= 0 ? _b.Binary(Op.Add, index, _b.Const(1, ValType.Int)) : -1;
        _loopDepth--;
        Block block = _b.PopBlock();

        var vars = new List<LoopVar>();
        if (index >= 0) vars.Add(new LoopVar(index, ValType.Int, _b.Const(0, ValType.Int), indexNext, _b.NewId(), each!.Value.Control.Name + "Index"));
        foreach (VarKey key in carried)
        {
            int id = ids[key], result = _b.NewId();
            vars.Add(new LoopVar(id, _b.TypeOf(id), env.Scalars[key], bodyEnv.Scalars[key], result, VariableName(key)));
            env.Scalars[key] = result;
        }
        if (breaks) env.Scalars.Remove(own.ExitLabel);
        _b.Origin = OriginOf(loop);
        _b.AddLoop(vars, header, cond, block);
    }

    /// <summary>Whether a loop's body breaks out of it (not out of a loop inside it).</summary>
    private static bool Breaks(ILoopOperation loop, IOperation body) =>
        body.DescendantsAndSelf().OfType<IBranchOperation>().Any(b => b.BranchKind == BranchKind.Break && SymbolEqualityComparer.Default.Equals(b.Target, loop.ExitLabel));

    /// <summary>A source variable's name; a loop's break flag is <c>broken</c>, the return slots <c>returned</c> and <c>result</c>.</summary>
    private static string VariableName(VarKey key) => key.Member.Length == 0 ? VariableName(key.Symbol)
        : key.Symbol is IMethodSymbol ? key.Member.Replace("return.", "result_").Replace("this.", "").Replace('.', '_')
        : VariableName(key.Symbol) + "_" + key.Member.Replace('.', '_');

    private static string VariableName(ISymbol symbol) => symbol switch
    {
        ILabelSymbol => "broken",
        IMethodSymbol => "returned",
        ITypeSymbol => "result",
        _ => symbol.Name,
    };

    // ---- return inside a loop --------------------------------------------------------------------------------
    //
    // A return inside a loop sets two variables the loops around it carry, and breaks out of the innermost one:
    // "returned" and "result". After each loop that holds a return, "if (returned) return result;" ends the path
    // there (itself a return inside the enclosing loop, if there is one), and the rest of the code runs otherwise.
    // The two live in the environment under symbols no local can have: the method's own (the flag) and its
    // containing type's (the value). Each method lowered (the root, an inlined callee) has its own environment.

    private ISymbol ReturnedKey => _callStack.Peek();

    private ISymbol ResultKey => _callStack.Peek().ContainingType;

    /// <summary>A return inside a loop: the value and the flag are set, and the innermost loop is left.</summary>
    private void ReturnFromLoop(int value, Env env)
    {
        env.Scalars[ReturnedKey] = _b.Bool(true);
        env.Scalars[ResultKey] = value;
        env.Scalars[_keptLoops.Peek().ExitLabel] = _b.Bool(true);
    }

    /// <summary>Makes the return slots, false and 0, before the outermost loop that holds a return.</summary>
    private void OpenReturnSlots(Env env)
    {
        if (env.Scalars.ContainsKey(ReturnedKey)) return;
        env.Scalars[ReturnedKey] = _b.Bool(false);
        ValType type = TypeOf(_callStack.Peek().ReturnType) ?? ValType.Double;
        env.Scalars[ResultKey] = type == ValType.Bool ? _b.Bool(false) : _b.Const(0, type);
    }

    /// <summary>
    /// After a loop that holds a return: <c>if (returned) return result;</c> with the rest of the work on the other
    /// path. Returns true when it consumed the rest.
    /// </summary>
    private bool AfterLoop(IOperation loop, Work? rest, Env env)
    {
        if (!ContainsReturn(loop) || !env.Scalars.TryGetValue(ReturnedKey, out int returned)) return false;
        int result = env.Scalars[ResultKey];
        Env thenEnv = env.Clone(), elseEnv = env.Clone();
        bool outermost = _loopDepth == 0;
        if (outermost)
        {
            // Past the outermost loop the slots are dead: the rest of the method does not carry them.
            foreach (Env e in new[] { thenEnv, elseEnv })
            {
                e.Scalars.Remove(ReturnedKey);
                e.Scalars.Remove(ResultKey);
            }
        }
        _b.PushBlock();
        if (outermost) thenEnv.Return = result;
        else thenEnv.Scalars[_keptLoops.Peek().ExitLabel] = _b.Bool(true);
        Block thenBlock = _b.PopBlock();
        _b.PushBlock();
        Lower(rest, elseEnv);
        Block elseBlock = _b.PopBlock();

        var phis = new List<Phi>();
        if (outermost)
        {
            // A loop left only by its return (while (true)) has nothing after it: C# knows the end is unreachable.
            env.Return = elseEnv.Return is int other ? (other == result ? result : MakePhi(phis, result, other, "result")) : result;
        }
        else
        {
            MergeInto(env, thenEnv, elseEnv, phis);
        }
        _b.Origin = OriginOf(loop);
        _b.AddIf(returned, thenBlock, elseBlock, phis);
        return true;
    }

    /// <summary>Whether <paramref name="value"/> reads, through the header's values, a carried variable or memory.</summary>
    private static bool DependsOn(int value, Block header, HashSet<int> carried)
    {
        var defs = IrWalk.Values(header).ToDictionary(v => v.Id);
        var seen = new HashSet<int>();
        bool Walk(int id)
        {
            if (carried.Contains(id)) return true;
            if (!seen.Add(id) || !defs.TryGetValue(id, out Instr? def)) return false;
            return IrWalk.ReadsMemory(def) || IrWalk.Operands(def).Any(Walk);
        }
        return Walk(value);
    }

    /// <summary>
    /// Whether an operation indexes a 2-D array with one index reading <paramref name="vars"/> and another reading a
    /// local whose value is not a compile-time constant; arrays passed as <c>[NoDerivative]</c> data do not count.
    /// </summary>
    private bool WalksRuntimeRows(IOperation op, HashSet<ISymbol> vars, Env env)
    {
        bool Reads(IOperation index) => index.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(l => vars.Contains(l.Local));
        bool AtRunTime(IOperation index) => index.DescendantsAndSelf().OfType<ILocalReferenceOperation>()
            .Any(l => !vars.Contains(l.Local) && env.Scalars.TryGetValue(l.Local, out int value) && !_b.TryGetConst(value, out _));
        bool Data(IOperation array) => array is IParameterReferenceOperation p
            && p.Parameter.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TypeNames.NoDerivativeAttribute);
        return op.DescendantsAndSelf().OfType<IArrayElementReferenceOperation>()
            .Any(a => a.Indices.Length == 2 && !Data(a.ArrayReference) && a.Indices.Any(Reads) && a.Indices.Any(AtRunTime));
    }

    /// <summary>The locals (and local arrays, by element) an operation assigns anywhere inside it.</summary>
    private IEnumerable<ISymbol> Assigned(IOperation op)
    {
        foreach (ISymbol mutated in MutatedThroughMembers(op)) yield return mutated; // s.Scale(2): a member that writes this
        foreach (IOperation d in op.DescendantsAndSelf())
        {
            IOperation? target = d switch
            {
                ISimpleAssignmentOperation a => a.Target,
                ICompoundAssignmentOperation c => c.Target,
                IIncrementOrDecrementOperation i => i.Target,
                IDeconstructionAssignmentOperation t => t.Target,
                _ => null,
            };
            if (d is IDeconstructionAssignmentOperation && target is not null)
            {
                foreach (ILocalReferenceOperation each in target.DescendantsAndSelf().OfType<ILocalReferenceOperation>()) yield return each.Local;
                continue;
            }
            // A member of a struct variable (p.X = ..., box.Min.Y += ...) assigns the variable.
            while (target is IMemberReferenceOperation { Instance: { } instance } && ShapeOf(instance.Type) is not null)
            {
                if (instance is IInstanceReferenceOperation && _callStack.Count > 0)
                {
                    yield return _callStack.Peek();
                    break;
                }
                target = instance;
            }
            switch (target)
            {
                case ILocalReferenceOperation local:
                    yield return local.Local;
                    break;
                case IArrayElementReferenceOperation { ArrayReference: ILocalReferenceOperation array }:
                    yield return array.Local;
                    break;
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: ILocalReferenceOperation span }:
                    yield return span.Local;
                    break;
            }
        }
    }
}
