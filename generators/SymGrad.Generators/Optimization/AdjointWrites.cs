using System.Collections.Generic;
using System.Linq;
using SymGrad.Generators.Differentiation;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Optimization;

/// <summary>
/// Scalar replacement of adjoint memory: a parameter whose adjoint the backward sweep adds to only at constant
/// indices, once per element and outside every region, gets single writes after the sweeps instead (the value
/// itself, or zero for an element in the read extent that nothing reached), and no clearing or read-modify-write.
/// That is all of today's straight-line code; an accumulation at a computed index, or inside a region, keeps the
/// parameter's adjoint in memory.
/// </summary>
internal static class AdjointWrites
{
    public static GradientIr Run(GradientIr gradient)
    {
        MethodIr ir = gradient.Primal;
        var constants = IrWalk.Values(gradient.Forward).Concat(IrWalk.Values(gradient.Backward)).OfType<ConstInstr>()
            .ToDictionary(c => c.Id, c => c.Value);
        // ReverseMode makes sure there is one (in either sweep: the backward builder reuses the forward's constants).
        int zero = IrWalk.Values(gradient.Forward).Concat(IrWalk.Values(gradient.Backward)).OfType<ConstInstr>()
            .First(c => c.Type == ValType.Double && System.BitConverter.DoubleToInt64Bits(c.Value) == 0).Id;

        var topLevel = gradient.Backward.Nodes.OfType<AddToAdjoint>().ToList();
        // A loop differentiated in place adds to adjoints in the forward sweep.
        var nested = gradient.Backward.Nodes.Where(n => n is not AddToAdjoint && IrWalk.HasEffects(n))
            .Concat(gradient.Forward.Nodes.Where(IrWalk.HasEffects)).ToList();
        var replaced = new HashSet<int>();
        var outputs = new List<AdjointOutput>();
        foreach (int p in gradient.Accumulated)
        {
            var adds = topLevel.Where(a => a.Param == p).ToList();
            var elements = new Dictionary<(int, int), int>();
            bool scalar = !nested.Any(n => Touches(n, p));
            foreach (AddToAdjoint add in adds)
            {
                if (!Constant(add.Index0, constants, out int i) || !Constant(add.Index1, constants, out int j) || elements.ContainsKey((i, j)))
                {
                    scalar = false;
                    break;
                }
                elements[(i, j)] = add.Value;
            }
            if (!scalar) continue;
            replaced.Add(p);
            ParamSpec spec = ir.Params[p];
            foreach ((int i, int j) in Extent(spec)) outputs.Add(new AdjointOutput(p, i, j, elements.TryGetValue((i, j), out int v) ? v : zero));
        }
        var backward = new Block(gradient.Backward.Nodes.Where(n => n is not AddToAdjoint a || !replaced.Contains(a.Param)).ToEquatableArray());
        return gradient with
        {
            Backward = backward,
            Outputs = gradient.Outputs.Concat(outputs).ToEquatableArray(),
            Accumulated = gradient.Accumulated.Where(p => !replaced.Contains(p)).ToEquatableArray(),
        };
    }

    /// <summary>The elements a parameter's single writes cover: (-1, -1) for a double, else the extent read at constant indices.</summary>
    private static IEnumerable<(int I, int J)> Extent(ParamSpec spec)
    {
        if (spec.Kind == ParamKind.Double)
        {
            yield return (-1, -1);
            yield break;
        }
        for (int i = 0; i < spec.MinLength0; i++)
        {
            if (spec.Kind != ParamKind.Array2D)
            {
                yield return (i, -1);
                continue;
            }
            for (int j = 0; j < spec.MinLength1; j++) yield return (i, j);
        }
    }

    private static bool Constant(int index, Dictionary<int, double> constants, out int value)
    {
        value = -1;
        if (index < 0) return true;
        if (!constants.TryGetValue(index, out double c)) return false;
        value = (int)c;
        return true;
    }

    private static bool Touches(Node node, int param) =>
        node is AddToAdjoint a ? a.Param == param : IrWalk.Blocks(node).Any(b => b.Nodes.Any(n => Touches(n, param)));
}
