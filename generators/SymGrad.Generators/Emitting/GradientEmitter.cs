using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Model;
using SymGrad.Generators.Differentiation;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Ir.Rules;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// Writes <c>{Name}Gradient</c>: argument checks, the forward sweep, the backward sweep, and the gradient
/// written (never accumulated) into the adjoint arguments.
/// </summary>
internal sealed class GradientEmitter : PlainEmitter
{
    private readonly Dictionary<int, string> _adjoints;
    private readonly HashSet<int> _accumulated;

    /// <summary>In a Jacobian's rows: the local holding the row, whose unit vector seeds the backward sweep (else null: the caller's seed).</summary>
    private string? _unitSeedRow;

    private GradientEmitter(GradientIr gradient, Dictionary<int, string> adjoints, IReadOnlyList<OutputWrite> outputs, IEnumerable<string> reserved,
                            IReadOnlyDictionary<ArraySourceKind, string>? boundArrays)
        : base(gradient.Primal, new[]
            {
                new Section(gradient.Forward, IrWalk.All(gradient.Forward).Any(n => n is AddToAdjoint or AddToLocal)
                    ? "// Forward sweep. A loop whose iterations meet only in sums runs each one's backward sweep right after it."
                    : "// Forward sweep."),
                new Section(gradient.Backward, "// Backward sweep: the adjoint of each value, from the result back to the parameters."),
            }, gradient.Return, outputs, reserved, allowSplit: boundArrays is null, boundArrays)
    {
        _adjoints = adjoints;
        _accumulated = new HashSet<int>(gradient.Accumulated);
    }

    public static void Emit(CodeWriter w, MethodSpec spec, GradientIr gradient)
    {
        MethodIr ir = gradient.Primal;
        var paramNames = ir.Params.Select(p => p.Name).ToList();
        Dictionary<int, string> adjoints = Naming.AdjointParameters(ir);
        // A vector output r: the backward sweep starts from the caller's seed dR (a VJP), named like an adjoint.
        int output = ir.Params.ToList().FindIndex(p => p.IsOutput);
        string? seed = output < 0 ? null : Naming.DerivedParameter("d", ir.Params[output], paramNames.Concat(adjoints.Values).ToList());
        var bound = seed is null ? null : new Dictionary<ArraySourceKind, string> { [ArraySourceKind.OutputSeed] = seed };
        // A struct parameter's name and its gradient struct's are the signature's, not the IR's: reserved too.
        var structParams = ir.Params.Where(p => p.Struct is { Leaf: 0 }).Select(p => p.Struct!.Param).ToList();
        Dictionary<int, string> structs = StructInputs.AdjointStructs(ir, adjoints, paramNames.Concat(adjoints.Values).Concat(structParams));
        var reserved = adjoints.Values.Concat(seed is null ? Enumerable.Empty<string>() : new[] { seed }).Concat(structParams).Concat(structs.Values).Select(n => n.TrimStart('@'));
        var emitter = new GradientEmitter(gradient, adjoints, OutputWrites(gradient, adjoints), reserved, bound);

        string cref = XmlDocs.Cref(spec, ir);
        w.Line("/// <summary>");
        if (seed is null)
        {
            w.Line($"/// Computes <see cref=\"{cref}\"/> and its gradient by reverse-mode differentiation.");
            w.Line("/// The gradient is written into the adjoint arguments, overwriting them (nothing needs zeroing first).");
        }
        else
        {
            string r = ir.Params[output].Name.TrimStart('@');
            w.Line($"/// Computes <see cref=\"{cref}\"/> and the vector-Jacobian product <c>{seed}ᵀ·J</c> by reverse-mode differentiation:");
            w.Line($"/// the gradient of <c>Σ {seed}[k] {r}[k]</c>, written into the adjoint arguments, overwriting them. One forward and one backward sweep.");
        }
        w.Line("/// </summary>");
        XmlDocs.MethodParameters(w, spec, ir);
        if (seed is not null) w.Line($"/// <param name=\"{seed}\">The seed: the weight of each element of <paramref name=\"{ir.Params[output].Name.TrimStart('@')}\"/>, of its length.</param>");
        XmlDocs.Derived(w, adjoints, ir, p => seed is null
            ? $"Receives the derivative of the result with respect to {p}."
            : $"Receives the derivative of the seeded sum of the outputs with respect to {p}.", structs);
        string? model = FieldInputs.GradientArgument(ir, adjoints, paramNames.Concat(adjoints.Values).Concat(seed is null ? Enumerable.Empty<string>() : new[] { seed }));
        if (model is not null) w.Line($"/// <param name=\"{model}\">Receives the gradient with respect to the fields of this: each differentiated field's derivative in the same field of {model}, overwritten.</param>");
        if (seed is null) XmlDocs.Returns(w, cref);
        EmitExtentRemarks(w, ir, adjoints);
        w.Line(Emitter.GeneratedCodeAttribute);
        RealType real = RealType.Of(ir.Real);
        var parameters = StructInputs.Parameters(ir, real)
            .Concat(seed is null ? Enumerable.Empty<string>() : new[] { real.ReadOnlySpan + " " + seed })
            .Concat(StructInputs.AdjointParameters(ir, adjoints, structs, real))
            .Concat(model is null ? Enumerable.Empty<string>() : new[] { FieldInputs.TypeName(spec) + " " + model }).ToList();
        EmitOptimization(w, new[] { gradient.Forward, gradient.Backward });
        string modifiers = spec.Accessibility + (spec.IsInstance ? "" : " static");
        w.Open(seed is null
            ? $"{modifiers} {real.Name} {spec.Name}Gradient({string.Join(", ", parameters)})"
            : $"{modifiers} void {spec.Name}Vjp({string.Join(", ", parameters)})");
        FieldInputs.EmitLocals(w, ir, real, adjoints, model);
        StructInputs.EmitLocals(w, ir, real, adjoints);
        var shaped = new List<IReadOnlyDictionary<int, string>> { FieldInputs.OwnAdjoints(ir, adjoints).ToDictionary(a => a.Key, a => a.Value) };
        if (seed is not null) shaped.Add(new Dictionary<int, string> { [output] = seed });
        ArgumentChecks.Emit(w, ir, shaped, "adjoint");
        FieldInputs.EmitGradientChecks(w, ir, adjoints, model);
        emitter.EmitClears(w, adjoints);
        bool usesTape = EmitTape(w, new[] { gradient.Forward, gradient.Backward });
        var viewTargets = IrWalk.All(gradient.Forward).Concat(IrWalk.All(gradient.Backward)).OfType<AddToAdjoint>()
            .Where(a => a.Index1 >= 0 && ir.Params[a.Param].Kind == ParamKind.Array2D).Select(a => ((Effect)a, adjoints[a.Param])).ToList();
        if (!emitter.IsSplit)
        {
            emitter.EmitViews(w, viewTargets);
            emitter.EmitBody(w, "// The gradient.");
            StructInputs.EmitWriteBack(w, ir, adjoints, structs);
            EmitTapeReturn(w, usesTape);
            if (seed is null) w.Line($"return {emitter.Operand(gradient.Return, Prec.Conditional)};");
            w.Close();
            return;
        }

        // Too long for one method the JIT optimises: the parts run in order, sharing values through a frame.
        // The parts take every input of the IR (a model's fields too, as the locals the top method read them into), the
        // seed, and every adjoint (a field's as the local bound to the gradient instance's field).
        var arguments = ir.Params.Select(p => p.Name)
            .Concat(seed is null ? Enumerable.Empty<string>() : new[] { seed })
            .Concat(adjoints.Select(a => (ir.Params[a.Key].Kind == ParamKind.Double ? "ref " : "") + a.Value)).ToList();
        var partParameters = ir.Params.Select(p => ParamType(p.Kind, real) + " " + p.Name)
            .Concat(seed is null ? Enumerable.Empty<string>() : new[] { real.ReadOnlySpan + " " + seed })
            .Concat(adjoints.Select(a => AdjointType(ir.Params[a.Key].Kind, real) + " " + a.Value)).ToList();
        string partName = spec.Name + "GradientPart";
        w.Line($"// {emitter.PartCount} parts of about {PartPlan.PartStatements} statements each, so that the JIT optimises every one;");
        w.Line($"// they exchange {emitter.FrameSize} values through this frame.");
        bool onStack = emitter.FrameSize <= 4_096; // 32 KB
        string frameField = $"{spec.Name}GradientFrame";
        if (onStack)
        {
            w.Line($"global::System.Span<double> frame = stackalloc double[{emitter.FrameSize}];");
        }
        else
        {
            // Too large for the stack: one buffer per thread, made on the first call (the parts call no user code,
            // so a call never re-enters on the same thread).
            w.Line($"global::System.Span<double> frame = {frameField}.Value ??= new double[{emitter.FrameSize}];");
        }
        for (int part = 1; part <= emitter.PartCount; part++) w.Line($"{partName}{part}({string.Join(", ", arguments)}, frame);");
        StructInputs.EmitWriteBack(w, ir, adjoints, structs);
        EmitTapeReturn(w, usesTape);
        w.Line($"return {emitter.Operand(gradient.Return, Prec.Conditional)};");
        w.Close();
        if (!onStack)
        {
            w.Line();
            PerThread.Declare(w, $"The frame of <see cref=\"{spec.Name}Gradient\"/>'s parts, one per thread.", "double[]", frameField);
        }
        for (int part = 1; part <= emitter.PartCount; part++)
        {
            w.Line();
            w.Line($"/// <summary>Part {part} of {emitter.PartCount} of <see cref=\"{spec.Name}Gradient\"/>.</summary>");
            w.Line(Emitter.GeneratedCodeAttribute);
            // Straight-line code runs once per call: compile it optimised at once rather than after tiering up.
            w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
            w.Open($"private static void {partName}{part}({string.Join(", ", partParameters)}, global::System.Span<double> frame)");
            // Each part reads the two-dimensional arrays through views of its own (locals of one method are not the next one's).
            emitter.EmitViews(w, viewTargets);
            emitter.EmitPart(w, part - 1);
            w.Close();
        }
    }

    /// <summary>
    /// Whether a Jacobian's rows can share one forward sweep: each backward sweep then reads the forward sweep's values
    /// and tape as they were left, and writes only memory of its own. So the backward sweep pushes nothing (it only
    /// pops, and the tape is rewound for the next row), writes no array the forward sweep made, and the forward sweep
    /// runs no backward sweep of its own (a loop differentiated in place) and starts from no seed.
    /// </summary>
    internal static bool SharesForward(GradientIr gradient)
    {
        if (IrWalk.All(gradient.Forward).Any(n => n is AddToAdjoint || n is NewArray { Source.Kind: ArraySourceKind.OutputSeed })) return false;
        if (IrWalk.All(gradient.Backward).Any(n => n is TapePush)) return false;
        var own = new HashSet<int>(IrWalk.All(gradient.Backward).OfType<NewArray>().Select(a => a.Array));
        return IrWalk.All(gradient.Backward).All(n => n switch
        {
            StoreLocal st => own.Contains(st.Array),
            AddToLocal add => own.Contains(add.Array),
            _ => true,
        });
    }

    /// <summary>
    /// Writes <c>{Name}JacobianRows</c>, which <c>{Name}Jacobian</c> calls when it goes by rows and
    /// <see cref="SharesForward"/> holds: the forward sweep once, then for each row the backward sweep from the
    /// row's unit seed, its adjoints slices of the row itself. A VJP per row would run the forward sweep once per row.
    /// </summary>
    internal static void EmitJacobianRows(CodeWriter w, MethodSpec spec, GradientIr gradient)
    {
        MethodIr ir = gradient.Primal;
        Dictionary<int, string> adjoints = Naming.AdjointParameters(ir);
        int output = ir.Params.ToList().FindIndex(p => p.IsOutput);
        var emitter = new GradientEmitter(gradient, adjoints, OutputWrites(gradient, adjoints), adjoints.Values.Select(n => n.TrimStart('@')),
            new Dictionary<ArraySourceKind, string> { [ArraySourceKind.OutputSeed] = "" });
        string row = emitter.ReserveName("row"), top = emitter.ReserveName("top"), mark = emitter.ReserveName("mark");
        string flat = emitter.ReserveName("jacobianFlat"), columns = emitter.ReserveName("columns"), at = emitter.ReserveName("at");
        emitter._unitSeedRow = row;

        w.Line($"/// <summary>The rows of <see cref=\"{spec.Name}Jacobian\"/>: one forward sweep, then one backward sweep per row from the row's unit seed.</summary>");
        w.Line(Emitter.GeneratedCodeAttribute);
        // The adjoints are the row itself (a slice of it, or a ref to its element), but a two-dimensional one, which
        // needs a double[,] of its own (a buffer the caller keeps) and is copied into the row after the sweep.
        var twoDimensional = adjoints.Where(a => ir.Params[a.Key].Kind == ParamKind.Array2D).ToList();
        RealType real = RealType.Of(ir.Real);
        var parameters = ir.Params.Select(p => ParamType(p.Kind, real) + " " + p.Name)
            .Append(real.Span + " " + flat).Append("int " + columns)
            .Concat(twoDimensional.Select(a => real.Name + "[,] " + a.Value));
        EmitOptimization(w, new[] { gradient.Forward, gradient.Backward });
        w.Open($"private static void {spec.Name}JacobianRows({string.Join(", ", parameters)})");
        w.Line("global::SymGrad.GradientTape tape = global::SymGrad.GradientTape.Rent();");
        emitter.EmitViews(w, IrWalk.All(gradient.Forward).Concat(IrWalk.All(gradient.Backward)).OfType<AddToAdjoint>()
            .Where(a => a.Index1 >= 0 && ir.Params[a.Param].Kind == ParamKind.Array2D).Select(a => ((Effect)a, adjoints[a.Param])));
        emitter.EmitSections(w, 0, 1);
        w.Line();
        w.Line("// Each row's backward sweep pops what the forward sweep pushed, and frees the arrays it made.");
        w.Line($"int {top} = tape.Count, {mark} = tape.Mark;");
        w.Open($"for (int {row} = 0; {row} < {ir.Params[output].Name}.Length; {row}++)");
        w.Line($"tape.Rewind({top});");
        w.Line($"tape.Release({mark});");
        w.Line("// The row of the Jacobian: each parameter's adjoints in turn, in parameter order.");
        w.Line($"int {at} = {row} * {columns};");
        var copies = new List<(string Name, string From)>();
        foreach (KeyValuePair<int, string> a in adjoints)
        {
            ParamSpec p = ir.Params[a.Key];
            switch (p.Kind)
            {
                case ParamKind.Double:
                    w.Line($"ref {real.Name} {a.Value} = ref {flat}[{at}++];");
                    break;
                case ParamKind.Array2D:
                    string from = emitter.ReserveName("at" + a.Value);
                    w.Line($"int {from} = {at}; {at} += {a.Value}.Length;");
                    copies.Add((a.Value, from));
                    break;
                default:
                    w.Line($"{real.Span} {a.Value} = {flat}.Slice({at}, {p.Name}.Length); {at} += {p.Name}.Length;");
                    break;
            }
        }
        EmitClears(w, emitter.Program, adjoints, emitter._accumulated, blankAfter: false);
        emitter.EmitSections(w, 1, 2, "// The row's adjoints.");
        foreach ((string name, string from) in copies) w.Line($"global::SymGrad.GradientTape.Flat({name}).CopyTo({flat}.Slice({from}));");
        w.Close();
        EmitTapeReturn(w, true);
        w.Close();
    }

    /// <summary>
    /// Says which elements of each array or span the method reads (its loops have constant bounds, so an argument
    /// longer than that is accepted and the rest of it is ignored, as the method itself ignores it).
    /// </summary>
    private static void EmitExtentRemarks(CodeWriter w, MethodIr ir, Dictionary<int, string> adjoints)
    {
        var lines = new List<string>();
        var constants = new HashSet<int>(IrWalk.Values(ir.Body).OfType<ConstInstr>().Select(c => c.Id));
        var computed = new HashSet<int>(IrWalk.Values(ir.Body).OfType<LoadInstr>()
            .Where(l => !constants.Contains(l.Index0) || (l.Index1 >= 0 && !constants.Contains(l.Index1))).Select(l => l.Param));
        for (int i = 0; i < ir.Params.Count; i++)
        {
            ParamSpec p = ir.Params[i];
            // Read at a computed index too: any element may be read, so there is no "only the first" to tell.
            if (!p.IsArrayLike || p.MinLength0 <= 0 || computed.Contains(i)) continue;
            string name = FieldInputs.Reference(p);
            string read = p.Kind == ParamKind.Array2D
                ? $"Reads only the first {p.MinLength0} row{(p.MinLength0 == 1 ? "" : "s")} and {p.MinLength1} column{(p.MinLength1 == 1 ? "" : "s")} of {name} (up to [{p.MinLength0 - 1}, {p.MinLength1 - 1}]), as the method does"
                : $"Reads only the first {p.MinLength0} element{(p.MinLength0 == 1 ? "" : "s")} of {name}, as the method does";
            lines.Add(adjoints.TryGetValue(i, out string? d)
                ? $"{read}; the rest of {(p.IsField ? "its gradient" : $"<paramref name=\"{d}\"/>")} is set to zero."
                : read + ".");
        }
        if (lines.Count == 0) return;
        w.Line("/// <remarks>");
        foreach (string line in lines) w.Line("/// " + line + (line == lines[lines.Count - 1] ? "" : "<br/>"));
        w.Line("/// </remarks>");
    }

    /// <summary>One write per adjoint element the method reads (zero where the result does not depend on it).</summary>
    private static IReadOnlyList<OutputWrite> OutputWrites(GradientIr gradient, Dictionary<int, string> adjoints) =>
        OutputWrites(gradient, adjoints, v => v);

    /// <summary>
    /// One write per element of each output the method reads, into <paramref name="targets"/> (by parameter), of
    /// <paramref name="valueOf"/> the adjoint written there: the adjoint itself, or its tangent (a Hessian-vector product).
    /// </summary>
    internal static IReadOnlyList<OutputWrite> OutputWrites(GradientIr gradient, Dictionary<int, string> targets, System.Func<int, int> valueOf)
    {
        var adjoints = targets;
        MethodIr ir = gradient.Primal;
        var writes = new List<OutputWrite>();
        foreach (KeyValuePair<int, string> a in adjoints)
        {
            if (gradient.Accumulated.Contains(a.Key)) continue; // added to by the backward sweep itself
            ParamSpec p = ir.Params[a.Key];
            string d = a.Value;
            var written = gradient.Outputs.Where(o => o.Param == a.Key).ToDictionary(o => (o.I, o.J), o => o.Value);
            int ValueAt(int i, int j) => valueOf(written[(i, j)]); // AdjointWrites gives every element in the extent a value
            switch (p.Kind)
            {
                case ParamKind.Double:
                    writes.Add(new OutputWrite(d, ValueAt(-1, -1)));
                    break;
                case ParamKind.Array2D:
                    for (int i = 0; i < p.MinLength0; i++)
                    {
                        for (int j = 0; j < p.MinLength1; j++) writes.Add(new OutputWrite($"{d}[{i}, {j}]", ValueAt(i, j)));
                    }
                    break;
                default:
                    for (int i = 0; i < p.MinLength0; i++) writes.Add(new OutputWrite($"{d}[{i}]", ValueAt(i, -1)));
                    break;
            }
        }
        return writes;
    }

    internal static string CrefType(ParamKind kind, RealType real) => kind switch
    {
        ParamKind.Double => real.Name, ParamKind.Int => "int", ParamKind.Array => real.Name + "[]", ParamKind.Array2D => real.Name + "[,]",
        ParamKind.ReadOnlySpan => $"global::System.ReadOnlySpan{{{real.Name}}}", ParamKind.IntArray => "int[]",
        ParamKind.IntReadOnlySpan => "global::System.ReadOnlySpan{int}", _ => $"global::System.Span{{{real.Name}}}",
    };

    internal static string ParamType(ParamKind kind, RealType real) => kind switch
    {
        ParamKind.Double => real.Name, ParamKind.Int => "int", ParamKind.Array => real.Name + "[]", ParamKind.Array2D => real.Name + "[,]",
        ParamKind.ReadOnlySpan => real.ReadOnlySpan, ParamKind.IntArray => "int[]", ParamKind.IntReadOnlySpan => "global::System.ReadOnlySpan<int>", _ => real.Span,
    };

    internal static string AdjointType(ParamKind kind, RealType real) => kind switch
    {
        ParamKind.Double => "ref " + real.Name, ParamKind.Array2D => real.Name + "[,]", _ => real.Span,
    };

    /// <summary>
    /// Elements outside the extent the method reads get a zero gradient, the rest are written after the body; an
    /// adjoint the backward sweep accumulates into is zeroed whole first.
    /// </summary>
    private void EmitClears(CodeWriter w, Dictionary<int, string> adjoints) => EmitClears(w, Program, adjoints, _accumulated);

    internal static void EmitClears(CodeWriter w, MethodIr ir, IReadOnlyCollection<KeyValuePair<int, string>> adjoints, ISet<int> accumulated, bool blankAfter = true)
    {
        if (adjoints.Select(a => a.Key).Any(k => ir.Params[k].IsArrayLike && !accumulated.Contains(k)))
        {
            w.Line("// Adjoint elements past the extent the method reads are zero; the others are written below.");
        }
        if (adjoints.Select(a => a.Key).Any(accumulated.Contains)) w.Line("// Adjoints the backward sweep adds to start at zero.");
        foreach (KeyValuePair<int, string> a in adjoints)
        {
            ParamSpec p = ir.Params[a.Key];
            if (accumulated.Contains(a.Key))
            {
                w.Line(p.Kind switch
                {
                    ParamKind.Double => $"{a.Value} = {RealType.Of(ir.Real).Zero};",
                    // GradientTape.Zero, not Clear: see there (Clear leaves the vector state dirty, and Math.Exp slow).
                    _ => $"global::SymGrad.GradientTape.Zero({a.Value});",
                });
            }
            else if (p.Kind == ParamKind.Array2D)
            {
                w.Line($"if ({p.Name}.GetLength(0) != {p.MinLength0} || {p.Name}.GetLength(1) != {p.MinLength1}) global::SymGrad.GradientTape.Zero({a.Value});");
            }
            else if (p.IsArrayLike)
            {
                // Guarded: in a method too large for the JIT to inline into, Slice and Clear are calls even when empty.
                w.Line($"if ({a.Value}.Length != {p.MinLength0}) global::SymGrad.GradientTape.Zero({a.Value}.Slice({p.MinLength0}));");
            }
        }
        if (blankAfter && adjoints.Select(a => a.Key).Any(k => ir.Params[k].IsArrayLike || accumulated.Contains(k))) w.Line();
    }

    /// <summary><c>dV[i] += g;</c>: the backward sweep adding to an adjoint kept in memory.</summary>
    protected override (string Name, int Index0, int Index1)? ViewTarget(Effect effect) =>
        effect is AddToAdjoint { Index1: >= 0 } add && HasView(_adjoints[add.Param]) ? (_adjoints[add.Param], add.Index0, add.Index1) : null;

    protected override string RenderEffect(Effect effect)
    {
        if (effect is NewArray { Source.Kind: ArraySourceKind.OutputSeed } seed && _unitSeedRow is { } row)
        {
            return $"{Real.Span} {ArrayName(seed.Array)} = tape.{Real.Allocate}({ElementCount(seed)}); {ArrayName(seed.Array)}[{row}] = {Real.One}; // the row's unit seed";
        }
        if (effect is not AddToAdjoint add) return base.RenderEffect(effect);
        string target = _adjoints[add.Param];
        if (add.Index1 >= 0 && HasView(target)) return $"{ViewElement(target, add.Param, add.Index0, add.Index1)} += {Operand(add.Value, Prec.Conditional)};";
        if (add.Index0 >= 0) target += $"[{Operand(add.Index0, Prec.Conditional)}{(add.Index1 >= 0 ? ", " + Operand(add.Index1, Prec.Conditional) : "")}]";
        return $"{target} += {Operand(add.Value, Prec.Conditional)};";
    }
}
