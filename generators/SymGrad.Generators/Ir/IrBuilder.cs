using System;
using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir.Rules;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Ir;

/// <summary>
/// Builds IR blocks with the cheap optimisations done as values are made: constant folding where the rule table
/// (<see cref="OpRules"/>) says it is exact, identities that are exact for
/// every input (x*1, x/1, x-0, x+(-0), --x; never x+0, which turns -0 into +0, nor x*0), and common-subexpression
/// elimination scoped to the enclosing blocks. Parameters, loads and constants always live in the outermost block,
/// so they are shared by both branches of an <see cref="IfInstr"/> and by the backward sweep.
/// </summary>
internal sealed class IrBuilder
{
    private sealed class Frame
    {
        public readonly List<Node> Nodes = new();
        public readonly Dictionary<(byte Kind, int Op, long A, long B, long C), int> Cse = new();
    }

    private readonly List<Frame> _frames = new() { new Frame() };
    private readonly Dictionary<int, Instr> _defs = new();
    private readonly Dictionary<int, string> _names = new();
    private int _next;

    /// <param name="real">The method's floating-point type: in a <c>float</c> method every constant, folded or not, is a float.</param>
    public IrBuilder(int firstId = 0, Real real = Real.Double)
    {
        _next = firstId;
        Real = real;
    }

    public Real Real { get; }

    /// <summary>The source statement new instructions come from (index into the method's source lines).</summary>
    public int Origin { get; set; } = -1;

    /// <summary>How many instructions have been made; the front end stops unrolling past a limit.</summary>
    public int Count => _defs.Count;

    public int NextId => _next;

    public Instr Def(int id) => _defs[id];

    /// <summary>
    /// Makes a node built elsewhere (the forward sweep) known to this builder: a value's type and constant value,
    /// and, for leaves and values of the outermost block, a common subexpression that new code reuses; a region's
    /// results (the values inside it are imported one by one by the caller).
    /// </summary>
    public void Import(Node node, bool shareable)
    {
        if (node is Region region)
        {
            foreach ((int id, ValType type) in region.Results) _defs[id] = new PhiDef(id, type);
            if (region is LoopRegion loop)
            {
                foreach (LoopVar v in loop.Vars) _defs[v.Id] = new PhiDef(v.Id, v.Type);
            }
            return;
        }
        if (node is not Instr instr) return; // an effect defines nothing
        _defs[instr.Id] = instr;
        if (instr.Name is { } name) _names[instr.Id] = name;
        if (shareable && KeyOf(instr) is { } key) _frames[0].Cse[key] = instr.Id;
    }

    /// <summary>
    /// Lets new code in the innermost block reuse <paramref name="instr"/>, a value of the forward sweep visible there
    /// (the backward sweep of a branch reuses what the forward branch computed: cos θ, 1/θ, ...).
    /// </summary>
    public void Share(Instr instr)
    {
        if (KeyOf(instr) is { } key && !_frames[_frames.Count - 1].Cse.ContainsKey(key)) _frames[_frames.Count - 1].Cse[key] = instr.Id;
    }

    private static (byte, int, long, long, long)? KeyOf(Instr instr) => instr switch
    {
        ConstInstr c => (1, (int)c.Type, BitConverter.DoubleToInt64Bits(c.Value), 0, 0),
        ParamInstr p => (2, p.Param, 0, 0, 0),
        LoadInstr l => (3, l.Param, l.Index0, l.Index1, 0),
        LengthInstr l => (4, l.Param, l.Dimension, 0, 0),
        UnaryInstr u => (5, (int)u.Op, u.A, 0, 0),
        BinaryInstr b => (6, (int)b.Op, b.A, b.B, 0),
        CompareInstr c => (7, (int)c.Op, c.A, c.B, 0),
        SelectInstr s => (8, 0, s.Cond, s.A, s.B),
        _ => null,
    };

    public ValType TypeOf(int id) => _defs[id].Type;

    public bool TryGetConst(int id, out double value)
    {
        if (_defs.TryGetValue(id, out Instr? d) && d is ConstInstr c)
        {
            value = c.Value;
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>Gives value <paramref name="id"/> a source name, unless it has one already.</summary>
    public void NameValue(int id, string name)
    {
        if (!_names.ContainsKey(id) && _defs.TryGetValue(id, out Instr? d) && d is not ConstInstr and not ParamInstr and not LoadInstr and not LengthInstr)
        {
            _names[id] = name;
        }
    }

    public string? NameOf(int id) => _names.TryGetValue(id, out string? n) ? n : null;

    private readonly Dictionary<int, int> _adjointOf = new();

    /// <summary>Records that <paramref name="id"/> is the adjoint of <paramref name="primal"/>, so the emitter names it after it.</summary>
    public void MarkAdjoint(int id, int primal)
    {
        if (!_adjointOf.ContainsKey(id) && _defs.TryGetValue(id, out Instr? d) && d is not ConstInstr and not ParamInstr and not LoadInstr) _adjointOf[id] = primal;
    }

    private readonly Dictionary<int, int> _tangentOf = new();

    /// <summary>Records that <paramref name="id"/> is the tangent of <paramref name="primal"/>, so the emitter names it after it.</summary>
    public void MarkTangent(int id, int primal)
    {
        if (!_tangentOf.ContainsKey(id) && _defs.TryGetValue(id, out Instr? d) && d is not ConstInstr and not ParamInstr and not LoadInstr) _tangentOf[id] = primal;
    }

    public int NewId() => _next++;

    // ---- leaves: always in the outermost block --------------------------------------------------------------

    /// <summary>
    /// A constant, rounded to float in a float method. Folding stays exact: the operations folded on doubles are + - * /,
    /// conversions, rounding and comparisons, and a float rounding of the double result of + - * / of floats is the float
    /// operation's result (53 bits are more than 2 · 24 + 2). Transcendental functions are never folded.
    /// </summary>
    public int Const(double value, ValType type = ValType.Double)
    {
        if (type == ValType.Double && Real == Real.Single) value = (float)value;
        return Intern(0, (1, (int)type, BitConverter.DoubleToInt64Bits(value), 0, 0), id => new ConstInstr(id, type, value));
    }

    public int Bool(bool value) => Const(value ? 1 : 0, ValType.Bool);

    public int Param(int param, ValType type) =>
        Intern(0, (2, param, 0, 0, 0), id => new ParamInstr(id, type, param));

    /// <summary>
    /// An element of parameter <paramref name="param"/> at index values <paramref name="index0"/> and
    /// <paramref name="index1"/> (-1 for a one-dimensional parameter). At constant indices the load is a leaf of
    /// the outermost block (shared by every region and the backward sweep); at computed ones it stays where it is.
    /// </summary>
    public int Load(int param, int index0, int index1, ValType type = ValType.Double)
    {
        bool constant = _defs[index0] is ConstInstr && (index1 < 0 || _defs[index1] is ConstInstr);
        return Intern(constant ? 0 : _frames.Count - 1, (3, param, index0, index1, 0), id => new LoadInstr(id, param, index0, index1, type));
    }

    /// <summary>
    /// Places a value built elsewhere (the primal's) in the current block, as it is, and lets new code reuse it: a
    /// transformation that rebuilds a program around its values (forward mode interleaves tangents) keeps them.
    /// </summary>
    public void Append(Instr instr)
    {
        _defs[instr.Id] = instr;
        if (instr.Name is { } name) _names[instr.Id] = name;
        Frame frame = _frames[_frames.Count - 1];
        frame.Nodes.Add(instr);
        if (KeyOf(instr) is { } key && !frame.Cse.ContainsKey(key)) frame.Cse[key] = instr.Id;
        if (instr.Id >= _next) _next = instr.Id + 1;
    }

    /// <summary>A call kept as a call (see <see cref="CallInstr"/>): never shared, so each stands where it was made.</summary>
    public int Call(CallInstr call)
    {
        int id = NewId();
        var instr = call with { Id = id, Origin = Origin };
        _defs[id] = instr;
        _frames[_frames.Count - 1].Nodes.Add(instr);
        return id;
    }

    /// <summary>Adds an effect to the current block.</summary>
    public void AddEffect(Effect effect) => _frames[_frames.Count - 1].Nodes.Add(effect with { Origin = Origin });

    public int Length(int param, int dimension) =>
        Intern(0, (4, param, dimension, 0, 0), id => new LengthInstr(id, param, dimension));

    // ---- operations ------------------------------------------------------------------------------------------

    public int Unary(Op op, int a)
    {
        OpRule rule = OpRules.Of(op);
        ValType type = rule.TypeOf(TypeOf(a));
        if (TryGetConst(a, out double x) && rule.Fold?.Invoke(TypeOf(a), x, 0) is double folded) return Const(folded, type);
        if (TryGetConst(a, out _) && op is Op.CheckedNeg or Op.CheckedDoubleToInt) return OverflowAtRunTime();
        if (op is Op.Neg or Op.Not && _defs[a] is UnaryInstr inner && inner.Op == op) return inner.A;
        return Intern(_frames.Count - 1, (5, (int)op, a, 0, 0), id => new UnaryInstr(id, type, op, a));
    }

    public int Binary(Op op, int a, int b)
    {
        OpRule rule = OpRules.Of(op);
        ValType type = rule.TypeOf(TypeOf(a));
        bool ca = TryGetConst(a, out double x), cb = TryGetConst(b, out double y);
        if (ca && cb && rule.Fold?.Invoke(TypeOf(a), x, y) is double folded) return Const(folded, type);
        if (ca && cb && op is Op.CheckedAdd or Op.CheckedSub or Op.CheckedMul && type == ValType.Int) return OverflowAtRunTime();

        // Identities exact for every input, including NaN, infinities and signed zeros.
        switch (op)
        {
            case Op.Mul when cb && y == 1 && !IsNegZero(y): return a;
            case Op.Mul when ca && x == 1 && !IsNegZero(x): return b;
            case Op.Mul when type == ValType.Double && cb && y == -1: return Unary(Op.Neg, a);
            case Op.Mul when type == ValType.Double && ca && x == -1: return Unary(Op.Neg, b);
            case Op.Div when cb && y == 1: return a;
            case Op.Sub when cb && y == 0 && !IsNegZero(y): return a;
            case Op.Add when cb && IsNegZero(y): return a;
            case Op.Add when ca && IsNegZero(x): return b;
            case Op.Add when type == ValType.Int && cb && y == 0: return a;
            case Op.Add when type == ValType.Int && ca && x == 0: return b;
            case Op.Mul when type == ValType.Int && (ca && x == 0 || cb && y == 0): return Const(0, ValType.Int);
            case Op.And when ca: return x != 0 ? b : Bool(false);
            case Op.And when cb: return y != 0 ? a : Bool(false);
            case Op.Or when ca: return x != 0 ? Bool(true) : b;
            case Op.Or when cb: return y != 0 ? Bool(true) : a;
        }
        // a*b and b*a are one value (IEEE + and * are commutative); the source's operand order is kept.
        if (op is Op.Add or Op.Mul && Lookup((6, (int)op, b, a, 0)) is int swapped) return swapped;
        int fa = a, fb = b;
        return Intern(_frames.Count - 1, (6, (int)op, fa, fb, 0), id => new BinaryInstr(id, type, op, fa, fb));
    }

    /// <summary>
    /// A checked operation on constants that overflows (its fold gave nothing): spelled out it would be a constant
    /// expression C# rejects, so it is a call that throws the <c>OverflowException</c> at run time, as the method does.
    /// </summary>
    private int OverflowAtRunTime() =>
        Call(new CallInstr(-1, ValType.Int, "global::SymGrad.Overflow.Throw", EquatableArray<int>.Empty) { Label = "Overflow", Shown = "SymGrad.Overflow.Throw()" });

    public int Compare(Op op, int a, int b)
    {
        if (TryGetConst(a, out double x) && TryGetConst(b, out double y) && OpRules.Of(op).Fold?.Invoke(TypeOf(a), x, y) is double folded)
        {
            return Bool(folded != 0);
        }
        // A value compared with itself (C# warns on `x >= x`, CS1718): x < x and x > x are false for every x; the
        // others depend only on whether x is NaN.
        if (a == b)
        {
            if (op is Op.Lt or Op.Gt) return Bool(false);
            if (TypeOf(a) != ValType.Double) return Bool(op != Op.Ne);
            int isNaN = Unary(Op.IsNaN, a);
            return op == Op.Ne ? isNaN : Unary(Op.Not, isNaN);
        }
        return Intern(_frames.Count - 1, (7, (int)op, a, b, 0), id => new CompareInstr(id, op, a, b));
    }

    public int Select(int cond, int a, int b)
    {
        if (TryGetConst(cond, out double c)) return c != 0 ? a : b;
        if (a == b) return a;
        return Intern(_frames.Count - 1, (8, 0, cond, a, b), id => new SelectInstr(id, TypeOf(a), cond, a, b));
    }

    // ---- structure -------------------------------------------------------------------------------------------

    /// <summary>How far back <see cref="LoadLocal"/> looks for the same read (a bound that keeps lowering linear).</summary>
    private const int LoadReuseWindow = 32;

    public void PushBlock() => _frames.Add(new Frame());

    /// <summary>How many blocks are open; <see cref="Unwind"/> closes those a failed statement left open.</summary>
    public int Depth => _frames.Count;

    public void Unwind(int depth)
    {
        while (_frames.Count > depth && _frames.Count > 1) _frames.RemoveAt(_frames.Count - 1);
    }

    public Block PopBlock()
    {
        Frame frame = _frames[_frames.Count - 1];
        _frames.RemoveAt(_frames.Count - 1);
        return Seal(frame.Nodes);
    }

    /// <summary>Adds an if/else region; phis are (id, then, else, name) made by the caller with <see cref="NewId"/>.</summary>
    public void AddIf(int cond, Block then, Block @else, IReadOnlyList<Phi> phis)
    {
        var region = new IfInstr(cond, then, @else, phis.ToEquatableArray()) { Origin = Origin };
        foreach (Phi phi in phis) _defs[phi.Id] = new PhiDef(phi.Id, phi.Type);
        _frames[_frames.Count - 1].Nodes.Add(region);
    }

    /// <summary>
    /// Declares a loop's variable before its body is built: its value at the start of an iteration (returned) is
    /// known to the builder, so the header and the body can read it.
    /// </summary>
    public int LoopVariable(ValType type, string? name)
    {
        int id = _next++;
        _defs[id] = new PhiDef(id, type);
        if (name is not null) _names[id] = name;
        return id;
    }

    /// <summary>
    /// A value a region defines for the code after it, typed now: a region built outside this builder (a loop
    /// differentiated in place, emitted later) still has results that the code after it may combine.
    /// </summary>
    public int RegionResult(ValType type)
    {
        int id = _next++;
        _defs[id] = new PhiDef(id, type);
        return id;
    }

    /// <summary>Adds a loop region; the variables' ids come from <see cref="LoopVariable"/> and <see cref="NewId"/>.</summary>
    public void AddLoop(IReadOnlyList<LoopVar> vars, Block header, int cond, Block body)
    {
        var region = new LoopRegion(vars.ToEquatableArray(), header, cond, body) { Origin = Origin };
        foreach (LoopVar v in vars) _defs[v.Result] = new PhiDef(v.Result, v.Type);
        _frames[_frames.Count - 1].Nodes.Add(region);
    }

    /// <summary>A value taken from the tape, in the current block; never shared.</summary>
    public int Pop(ValType type, int of)
    {
        int id = _next++;
        var pop = new TapePop(id, type, of) { Origin = Origin };
        _defs[id] = pop;
        _frames[_frames.Count - 1].Nodes.Add(pop);
        return id;
    }

    /// <summary>
    /// An element of local array <paramref name="array"/>, read where it stands. Looking back in the same block past
    /// instructions and writes to other arrays: the value just stored there (<c>a[i] = e; ... a[i]</c> is e), or
    /// the same element read before (<c>q[i] * q[i]</c> reads memory once). Then the backward sweep can recompute
    /// the value or keep it once, instead of keeping each read on the tape.
    /// </summary>
    public int LoadLocal(int array, int index0, int index1)
    {
        List<Node> nodes = _frames[_frames.Count - 1].Nodes;
        for (int k = nodes.Count - 1, seen = 0; k >= 0 && seen < LoadReuseWindow; k--, seen++)
        {
            Node node = nodes[k];
            if (node is LoadLocal same && same.Array == array && same.Index0 == index0 && same.Index1 == index1) return same.Id;
            if (node is StoreLocal store)
            {
                if (store.Array != array) continue; // another array: local arrays never alias
                if (store.Index0 == index0 && store.Index1 == index1) return store.Value;
                break; // another element, at an index that may be this one at run time
            }
            if (node is not Instr) break; // a region or an effect may write the element
        }
        int id = _next++;
        var load = new LoadLocal(id, array, index0, index1) { Origin = Origin };
        _defs[id] = load;
        _frames[_frames.Count - 1].Nodes.Add(load);
        return id;
    }

    /// <summary>Places a node built elsewhere (a recomputed value, a region) in the current block, as it is.</summary>
    public void Place(Node node)
    {
        if (node is Instr instr) _defs[instr.Id] = instr;
        else Import(node, false);
        _frames[_frames.Count - 1].Nodes.Add(node);
        foreach (int id in IrWalk.Defined(node))
        {
            if (id >= _next) _next = id + 1;
        }
    }

    /// <summary>The nodes of the outermost block so far.</summary>
    public IReadOnlyList<Node> Outermost => _frames[0].Nodes;

    /// <summary>
    /// Removes the nodes of the outermost block that <paramref name="pick"/> picks and returns them in order, named:
    /// code that moves to the forward sweep (before a loop differentiated in place). Their values stay shareable,
    /// since they are then made before anything this builder makes.
    /// </summary>
    public List<Node> TakeFromOutermost(Func<Node, bool> pick)
    {
        var taken = _frames[0].Nodes.Where(pick).ToList();
        _frames[0].Nodes.RemoveAll(n => pick(n));
        return taken.Select(Named).ToList();
    }

    /// <summary>The outermost block, with every value's source name applied.</summary>
    public Block Finish() => Seal(_frames[0].Nodes);

    private Block Seal(List<Node> nodes) => new(nodes.Select(Named).ToEquatableArray());

    private Node Named(Node node)
    {
        if (node is Effect) return node;
        if (node is LoopRegion loop)
        {
            return loop with
            {
                Vars = loop.Vars.Select(v => v.Name is null && _names.TryGetValue(v.Id, out string? vn) ? v with { Name = vn } : v).ToEquatableArray(),
            };
        }
        if (node is IfInstr region)
        {
            return region with
            {
                Phis = region.Phis.Select(p => p.Name is null && _names.TryGetValue(p.Id, out string? pn) ? p with { Name = pn } : p)
                                  .ToEquatableArray(),
            };
        }
        var instr = (Instr)node;
        if (_names.TryGetValue(instr.Id, out string? n)) instr = instr with { Name = n };
        if (_adjointOf.TryGetValue(instr.Id, out int primal)) instr = instr with { AdjointOf = primal };
        if (_tangentOf.TryGetValue(instr.Id, out int value)) instr = instr with { TangentOf = value };
        return instr;
    }

    /// <summary>Stands for a phi's value in the builder's table of definitions; never placed in a block.</summary>
    private sealed record PhiDef(int Id, ValType Type) : Instr(Id, Type);

    private int? Lookup((byte, int, long, long, long) key)
    {
        for (int f = _frames.Count - 1; f >= 0; f--)
        {
            if (_frames[f].Cse.TryGetValue(key, out int existing)) return existing;
        }
        return null;
    }

    private int Intern(int frameIndex, (byte, int, long, long, long) key, Func<int, Instr> make)
    {
        for (int f = _frames.Count - 1; f >= 0; f--)
        {
            if (_frames[f].Cse.TryGetValue(key, out int existing)) return existing;
        }
        int id = _next++;
        Instr instr = make(id) with { Origin = Origin };
        _defs[id] = instr;
        _frames[frameIndex].Nodes.Add(instr);
        _frames[frameIndex].Cse[key] = id;
        return id;
    }

    private static bool IsNegZero(double v) => v == 0 && BitConverter.DoubleToInt64Bits(v) < 0;
}
