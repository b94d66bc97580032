using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Ir.Rules;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// The names of the generated code, decided here: adjoint parameters (<c>dX</c> for <c>x</c>), and the locals of a
/// program: a source variable's own name (<c>z</c>, then <c>z_2</c> for its next version), an adjoint or a tangent
/// named after its value (<c>dz</c>, <c>tz</c>; the tangent of an adjoint is <c>tdz</c>), and a temporary after what it computes (<c>cos</c>, <c>inv</c>, <c>cond</c>). Source names are
/// given first, so a name the user chose is never pushed aside by a temporary.
/// </summary>
internal sealed class Naming
{
    private readonly UseAnalysis _uses;
    private readonly IReadOnlyList<string> _parameters;
    private readonly Dictionary<int, string> _names = new();
    private readonly HashSet<string> _used;
    private readonly Dictionary<string, int> _nextSuffix = new();

    /// <param name="parameters">The method's parameter names, which adjoints and elements are named after.</param>
    /// <param name="reserved">Names the program may not take (its method's parameters and adjoints, <c>frame</c>).</param>
    public Naming(IReadOnlyList<string> parameters, IEnumerable<string> reserved, UseAnalysis uses)
    {
        _uses = uses;
        _parameters = parameters;
        _used = new HashSet<string>(reserved);
    }

    /// <summary>An adjoint parameter's name: <c>d</c> and the parameter's name with its first letter upper-cased.</summary>
    public static string AdjointParameter(ParamSpec p, IReadOnlyCollection<string> taken) => DerivedParameter("d", p, taken);

    /// <summary>The adjoint parameter of each differentiable parameter, by index, in parameter order, none taking a name already given.</summary>
    public static Dictionary<int, string> AdjointParameters(MethodIr ir)
    {
        var names = ir.Params.Select(p => p.Name).ToList();
        var adjoints = new Dictionary<int, string>();
        for (int i = 0; i < ir.Params.Count; i++)
        {
            if (ir.Params[i].IsDifferentiable) adjoints[i] = AdjointParameter(ir.Params[i], names.Concat(adjoints.Values).ToList());
        }
        return adjoints;
    }

    /// <summary>
    /// The name of an argument that goes with parameter <paramref name="p"/>: <paramref name="prefix"/> and its name
    /// with the first letter upper-cased (<c>dX</c>, <c>tX</c>, <c>dR</c> for the seed of an output <c>r</c>), with
    /// <c>_</c> appended while it is taken.
    /// </summary>
    public static string DerivedParameter(string prefix, ParamSpec p, IReadOnlyCollection<string> taken)
    {
        string name = prefix + Pascal(p.Name);
        while (taken.Contains(name)) name += "_";
        return name;
    }

    /// <summary>A parameter's name without its <c>@</c>, first letter upper-cased: the stem of every name derived from it (<c>dX</c>, <c>tX</c>, <c>hvX</c>).</summary>
    public static string Pascal(string name)
    {
        string bare = name.TrimStart('@');
        return char.ToUpperInvariant(bare[0]) + bare.Substring(1);
    }

    /// <summary>Takes a name for something that is not a value (a local array), made unique; given before any value's.</summary>
    public string Reserve(string wanted)
    {
        wanted = Sanitize(wanted);
        string name = wanted;
        for (int n = 2; !_used.Add(name); n++) name = wanted + "_" + n;
        return name;
    }

    /// <summary>Names the source's own variables (the values the program writes as locals), before any other.</summary>
    public void NameSourceVariables(Block block, ISet<int> inline)
    {
        foreach (Node node in block.Nodes)
        {
            if (node is LoopRegion loop)
            {
                foreach (LoopVar v in loop.Vars.Where(v => v.Name is not null || v.AdjointOf >= 0 || v.TangentOf >= 0)) Local(v.Id);
                NameSourceVariables(loop.Header, inline);
                NameSourceVariables(loop.Body, inline);
            }
            else if (node is IfInstr region)
            {
                // A region's results first: the variable as the source sees it after the if keeps the plain name.
                foreach (Phi phi in region.Phis.Where(p => p.Name is not null || p.AdjointOf >= 0 || p.TangentOf >= 0)) Local(phi.Id);
                NameSourceVariables(region.Then, inline);
                NameSourceVariables(region.Else, inline);
            }
            else if (node is Instr { Name: not null, AdjointOf: < 0, TangentOf: < 0 } instr && !inline.Contains(instr.Id))
            {
                Local(instr.Id);
            }
        }
    }

    /// <summary>The name of a value's local (also the stem of its adjoint's name), given on first request.</summary>
    public string Local(int id)
    {
        if (_names.TryGetValue(id, out string? name)) return name;
        if (_uses.LoopVars.TryGetValue(id, out LoopVar? loopVar) && id != loopVar.Id) return _names[id] = Local(loopVar.Id); // one local per loop variable
        _uses.Defs.TryGetValue(id, out Instr? def);
        _uses.Phis.TryGetValue(id, out Phi? phi);
        int adjointOf = phi?.AdjointOf ?? loopVar?.AdjointOf ?? def?.AdjointOf ?? -1, tangentOf = phi?.TangentOf ?? loopVar?.TangentOf ?? def?.TangentOf ?? -1;
        string wanted = tangentOf >= 0 ? "t" + Stem(tangentOf)
            : adjointOf >= 0 ? "d" + Stem(adjointOf)
            : Sanitize(phi is not null ? phi.Name : loopVar is not null ? loopVar.Name : def?.Name ?? Temporary(def));
        name = wanted;
        _nextSuffix.TryGetValue(wanted, out int n);
        if (n < 2) n = 2;
        while (!_used.Add(name)) name = wanted + "_" + n++;
        _nextSuffix[wanted] = n; // the next free suffix: naming stays linear however many versions a variable has
        _names[id] = name;
        return name;
    }

    /// <summary>What an adjoint is named after: a parameter's name, an element's (<c>v_2</c>, <c>w_0_1</c>), or a value's local.</summary>
    private string Stem(int primal) => _uses.Defs.TryGetValue(primal, out Instr? def) switch
    {
        true when def is ParamInstr p => _parameters[p.Param].TrimStart('@'),
        true when def is LoadInstr l => ElementStem(l),
        _ when def is not null || _uses.Phis.ContainsKey(primal) || _uses.LoopVars.ContainsKey(primal) => Local(primal).TrimStart('@'),
        _ => "t",
    };

    /// <summary>An element's name: <c>w_0_1</c> for <c>w[0, 1]</c>, <c>v_i</c> for <c>v[i]</c>.</summary>
    private string ElementStem(LoadInstr l) =>
        _parameters[l.Param].TrimStart('@') + "_" + IndexStem(l.Index0) + (l.Index1 >= 0 ? "_" + IndexStem(l.Index1) : "");

    private string IndexStem(int index) =>
        _uses.Defs.TryGetValue(index, out Instr? def) && def is ConstInstr c ? ((long)c.Value).ToString(System.Globalization.CultureInfo.InvariantCulture) : Local(index);

    /// <summary>A value the source never named is named after what it computes (the rule table's temporary name).</summary>
    private string? Temporary(Instr? def) => def switch
    {
        BinaryInstr { Op: Op.Div } b when _uses.Defs.TryGetValue(b.A, out Instr? n) && n is ConstInstr { Value: 1.0 } => "inv",
        UnaryInstr u => OpRules.Of(u.Op).Temporary,
        BinaryInstr b => OpRules.Of(b.Op).Temporary,
        CompareInstr => "cond",
        CallInstr c => c.Stem,
        LoadInstr l => ElementStem(l), // an element read more than once, read into a local once
        _ => null,
    };

    private static string Sanitize(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "t";
        return Parsing.MethodParser.Identifier(name!.TrimStart('@'));
    }
}
