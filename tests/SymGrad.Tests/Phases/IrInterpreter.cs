using SymGrad.Generators.Ir;

namespace SymGrad.Tests.Phases;

/// <summary>
/// A test-only evaluator of IR blocks: the independent meaning of every instruction, so that a phase's output can
/// be checked by running it. The semantics of each <see cref="Op"/> are written here from System.Math and SymMath,
/// deliberately NOT from the rule table's Fold (checking the table against itself would prove nothing). Every
/// value is held as a double, as the IR does: ints are exact in a double, bools are 0/1.
/// </summary>
internal sealed class IrInterpreter
{
    private readonly Dictionary<int, double> _values = new();
    private readonly double[] _params;

    /// <param name="scalarParams">The value of each scalar parameter, by parameter index.</param>
    public IrInterpreter(params double[] scalarParams) => _params = scalarParams;

    /// <summary>The value of <paramref name="id"/>, which an evaluated block must have defined.</summary>
    public double this[int id] =>
        _values.TryGetValue(id, out double v) ? v : throw new InvalidOperationException($"value {id} was never computed");

    public bool Has(int id) => _values.ContainsKey(id);

    /// <summary>Runs <paramref name="block"/>; values it defines stay visible to later blocks (the backward sweep reads the forward one).</summary>
    public IrInterpreter Run(Block block)
    {
        foreach (Node node in block.Nodes) Execute(node);
        return this;
    }

    /// <summary>What the backward sweep's <see cref="AddToAdjoint"/> effects added, by (parameter, index, index).</summary>
    public Dictionary<(int Param, int I, int J), double> Added { get; } = new();

    private void Execute(Node instr)
    {
        switch (instr)
        {
            case AddToAdjoint add:
                var key = (add.Param, add.Index0 < 0 ? -1 : (int)this[add.Index0], add.Index1 < 0 ? -1 : (int)this[add.Index1]);
                Added[key] = (Added.TryGetValue(key, out double sum) ? sum : 0.0) + this[add.Value];
                return;
            case IfInstr region:
                bool taken = this[region.Cond] != 0;
                Run(taken ? region.Then : region.Else);
                foreach (Phi phi in region.Phis) Define(phi.Id, this[taken ? phi.Then : phi.Else]);
                return;
            case ConstInstr c:
                Define(c.Id, c.Value);
                return;
            case ParamInstr p:
                Define(p.Id, p.Type == ValType.Int ? (int)_params[p.Param] : _params[p.Param]);
                return;
            case UnaryInstr u:
                Define(u.Id, Unary(u.Op, u.Type, this[u.A]));
                return;
            case BinaryInstr b:
                Define(b.Id, Binary(b.Op, b.Type, this[b.A], this[b.B]));
                return;
            case CompareInstr c:
                Define(c.Id, Compare(c.Op, this[c.A], this[c.B]) ? 1 : 0);
                return;
            case SelectInstr s:
                Define(s.Id, this[s.Cond] != 0 ? this[s.A] : this[s.B]);
                return;
            default:
                throw new NotSupportedException($"the test interpreter does not know {instr.GetType().Name}");
        }
    }

    private void Define(int id, double value)
    {
        // SSA: a value is defined once; a second definition means a phase produced broken IR.
        if (!_values.TryAdd(id, value)) throw new InvalidOperationException($"value {id} is defined twice");
    }

    private static double Unary(Op op, ValType type, double x) => op switch
    {
        Op.Neg when type == ValType.Int => unchecked(-(int)x),
        Op.Neg => -x,
        Op.Not => x == 0 ? 1 : 0,
        Op.IsNaN => double.IsNaN(x) ? 1 : 0,
        Op.Exp => Math.Exp(x),
        Op.Log => Math.Log(x),
        Op.Sqrt => Math.Sqrt(x),
        Op.Tanh => Math.Tanh(x),
        Op.Sin => Math.Sin(x),
        Op.Cos => Math.Cos(x),
        Op.Tan => Math.Tan(x),
        Op.Atan => Math.Atan(x),
        Op.Abs => Math.Abs(x),
        Op.Relu => SymMath.Relu(x),
        Op.Sigmoid => SymMath.Sigmoid(x),
        Op.Softplus => SymMath.Softplus(x),
        Op.IntToDouble => x,
        Op.DoubleToInt => unchecked((int)x),
        Op.Asin => Math.Asin(x),
        Op.Acos => Math.Acos(x),
        Op.Sinh => Math.Sinh(x),
        Op.Cosh => Math.Cosh(x),
        Op.Asinh => Math.Asinh(x),
        Op.Acosh => Math.Acosh(x),
        Op.Atanh => Math.Atanh(x),
        Op.Log10 => Math.Log10(x),
        Op.Log2 => Math.Log2(x),
        Op.Exp2 => double.Exp2(x),
        Op.Exp10 => double.Exp10(x),
        Op.Cbrt => Math.Cbrt(x),
        Op.Floor => Math.Floor(x),
        Op.Ceiling => Math.Ceiling(x),
        Op.Truncate => Math.Truncate(x),
        Op.Round => Math.Round(x),
        Op.Sign => Math.Sign(x),
        Op.StopGradient => x,
        Op.IsFinite => double.IsFinite(x) ? 1 : 0,
        Op.IsInfinity => double.IsInfinity(x) ? 1 : 0,
        Op.IsPositiveInfinity => double.IsPositiveInfinity(x) ? 1 : 0,
        Op.IsNegativeInfinity => double.IsNegativeInfinity(x) ? 1 : 0,
        _ => throw new NotSupportedException($"the test interpreter does not know the unary operation {op}"),
    };

    private static double Binary(Op op, ValType type, double x, double y)
    {
        if (type == ValType.Int)
        {
            int a = (int)x, b = (int)y;
            return op switch
            {
                Op.Add => unchecked(a + b),
                Op.Sub => unchecked(a - b),
                Op.Mul => unchecked(a * b),
                Op.Div => a / b,
                Op.Rem => a % b,
                Op.Max => Math.Max(a, b),
                Op.Min => Math.Min(a, b),
                _ => throw new NotSupportedException($"the test interpreter does not know the int operation {op}"),
            };
        }
        return op switch
        {
            Op.Add => x + y,
            Op.Sub => x - y,
            Op.Mul => x * y,
            Op.Div => x / y,
            Op.Rem when type == ValType.Double => x % y,
            Op.Pow => Math.Pow(x, y),
            Op.Max => Math.Max(x, y),
            Op.Min => Math.Min(x, y),
            Op.And => x != 0 && y != 0 ? 1 : 0,
            Op.Or => x != 0 || y != 0 ? 1 : 0,
            Op.Atan2 => Math.Atan2(x, y),
            Op.LogBase => Math.Log(x, y),
            Op.CopySign => Math.CopySign(x, y),
            Op.MaxMagnitude => Math.MaxMagnitude(x, y),
            Op.MinMagnitude => Math.MinMagnitude(x, y),
            _ => throw new NotSupportedException($"the test interpreter does not know the binary operation {op}"),
        };
    }

    private static bool Compare(Op op, double x, double y) => op switch
    {
        Op.Lt => x < y,
        Op.Le => x <= y,
        Op.Gt => x > y,
        Op.Ge => x >= y,
        Op.Eq => x == y,
        Op.Ne => x != y,
        _ => throw new NotSupportedException($"the test interpreter does not know the comparison {op}"),
    };
}
