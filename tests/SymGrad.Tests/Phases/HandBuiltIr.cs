using SymGrad.Generators.Differentiation;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;
using SymGrad.Generators.Optimization;

namespace SymGrad.Tests.Phases;

/// <summary>Small helpers to write IR programs by hand, as the front end would lower them, and to run their gradients.</summary>
internal static class HandBuiltIr
{
    public static Block Block(params Node[] nodes) => new(nodes.ToEquatableArray());

    public static IfInstr If(int cond, Block then, Block @else, params Phi[] phis) => new(cond, then, @else, phis.ToEquatableArray());

    public static Phi Phi(int id, int then, int @else, ValType type = ValType.Double) => new(id, type, then, @else, null);

    public static ParamSpec Scalar(string name, bool noDerivative = false) => new(name, ParamKind.Double, noDerivative, 0, 0);

    public static ParamSpec Int(string name) => new(name, ParamKind.Int, false, 0, 0);

    public static ParamSpec Array(string name, int length, bool noDerivative = false) => new(name, ParamKind.Array, noDerivative, length, 0);

    /// <summary>A method of <paramref name="parameters"/> whose body returns <paramref name="ret"/>; NextId is past every id used.</summary>
    public static MethodIr Method(ParamSpec[] parameters, Block body, int ret) =>
        new(parameters.ToEquatableArray(), body, ret, MaxId(body) + 1, EquatableArray<string>.Empty);

    private static int MaxId(Block block) => block.Nodes.SelectMany(IrWalk.Defined).DefaultIfEmpty(-1).Max();

    /// <summary>The gradient program as the pipeline makes it: activity, reverse mode, adjoint writes, dead-code elimination.</summary>
    public static GradientIr Gradient(MethodIr ir) => DeadCodeElimination.Run(AdjointWrites.Run(ReverseMode.Differentiate(ir, Activity.Of(ir))));

    /// <summary>Runs forward then backward sweep; returns the value and each scalar parameter's adjoint.</summary>
    public static (double Value, Dictionary<int, double> Adjoints) Evaluate(GradientIr gradient, params double[] args)
    {
        IrInterpreter run = new IrInterpreter(args).Run(gradient.Forward).Run(gradient.Backward);
        return (run[gradient.Return], gradient.Outputs.ToDictionary(o => o.Param, o => run[o.Value]));
    }

    /// <summary>Every id a block defines, branches and phis included, in order.</summary>
    public static List<int> Ids(Block block)
    {
        var ids = new List<int>();
        foreach (Node node in block.Nodes)
        {
            if (node is Instr instr)
            {
                ids.Add(instr.Id);
                continue;
            }
            if (node is not IfInstr region) continue;
            ids.AddRange(Ids(region.Then));
            ids.AddRange(Ids(region.Else));
            ids.AddRange(region.Phis.Select(p => p.Id));
        }
        return ids;
    }
}
