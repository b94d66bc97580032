using System.Globalization;
using System.Text;

namespace SymGrad;

/// <summary>
/// A scalar on a reverse-mode tape: micrograd's <c>Value</c> in C#. Every operation makes a new node that remembers
/// its operands (<see cref="Children"/>) and the local derivative with respect to each of them; <see cref="Backward"/>
/// then walks the graph once, in reverse topological order, applying the chain rule.
/// </summary>
/// <remarks>
/// <para>Nodes compare by reference: two nodes with the same data are still two nodes.</para>
/// <para>Out-of-domain input (the log of a negative, a negative base to a fractional power, ...) gives NaN exactly
/// as <see cref="Math"/> does, in the data and in the gradient; nothing here throws once the graph is built.</para>
/// <para>Derivative conventions at kinks (as micrograd and PyTorch): <c>Relu'(0) = 0</c>; <c>Abs'(0) = 0</c>;
/// <c>Max</c> gives the whole gradient to its first operand only when it is strictly greater (ties go to the
/// second), <c>Min</c> only when it is strictly smaller. <c>Sqrt'(0) = +Infinity</c>, as the formula gives.</para>
/// </remarks>
public sealed class Value
{
    private static readonly Value[] NoChildren = [];

    // Every operator has at most two operands, so the two local derivatives live inline (no closure, no array):
    // a node costs one object plus its small children array.
    private readonly Value[] _children;
    private readonly double _dFirst;
    private readonly double _dSecond;

    /// <summary>A leaf: a number the graph starts from (an input or a parameter).</summary>
    /// <param name="data">The number.</param>
    /// <param name="label">A name shown by <see cref="ToDot"/>.</param>
    public Value(double data, string label = "")
    {
        ArgumentNullException.ThrowIfNull(label);
        Data = data;
        Label = label;
        Op = "";
        _children = NoChildren;
    }

    // Result nodes; internal so that ValueMath can make them too.
    internal Value(double data, string op, Value a, double dA)
    {
        Data = data;
        Label = "";
        Op = op;
        _children = [a];
        _dFirst = dA;
    }

    internal Value(double data, string op, Value a, double dA, Value b, double dB)
    {
        Data = data;
        Label = "";
        Op = op;
        _children = [a, b];
        _dFirst = dA;
        _dSecond = dB;
    }

    /// <summary>
    /// A node made by a user's derivative rule (<see cref="DerivativeOfAttribute"/>): <paramref name="data"/> is the
    /// function's value, <paramref name="dA"/> its derivative with respect to <paramref name="a"/>. The generated
    /// tape twins call this; it is public so that hand-written tape code can use a rule too.
    /// </summary>
    public static Value Rule(double data, string op, Value a, double dA) => new(data, op, a, dA);

    /// <summary>A node of a user's rule of two arguments, as <see cref="Rule(double, string, Value, double)"/>.</summary>
    public static Value Rule(double data, string op, Value a, double dA, Value b, double dB) => new(data, op, a, dA, b, dB);

    /// <summary>The number this node holds. Setting it (say, an optimizer step on a leaf) does not update nodes
    /// already built from it: build the graph again.</summary>
    public double Data { get; set; }

    /// <summary>d(root)/d(this), accumulated by <see cref="Backward"/>; starts at 0.</summary>
    public double Grad { get; set; }

    /// <summary>A name shown by <see cref="ToDot"/>.</summary>
    public string Label { get; set; }

    /// <summary>The operator that made this node ("+", "*", "exp", ...); "" for a leaf.</summary>
    public string Op { get; }

    /// <summary>The operands this node was made from, in order (the same node twice for <c>x * x</c>).</summary>
    public IReadOnlyList<Value> Children => _children;

    /// <summary>A constant becomes a leaf, so <c>x * 2.0</c> and <c>2.0 * x</c> work as in micrograd.</summary>
    public static implicit operator Value(double data) => new(data);

    /// <summary>One leaf per number: the inputs of a tape run (a generated <c>FTape</c> method takes arrays of them).</summary>
    public static Value[] Leaves(double[] data) => Array.ConvertAll(data ?? throw new ArgumentNullException(nameof(data)), x => new Value(x));

    /// <summary>One leaf per element of a matrix, in its shape.</summary>
    public static Value[,] Leaves(double[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var leaves = new Value[data.GetLength(0), data.GetLength(1)];
        for (int i = 0; i < data.GetLength(0); i++)
        {
            for (int j = 0; j < data.GetLength(1); j++) leaves[i, j] = new Value(data[i, j]);
        }
        return leaves;
    }

    /// <summary>Sum.</summary>
    public static Value operator +(Value a, Value b) => new(a.Data + b.Data, "+", a, 1.0, b, 1.0);

    /// <summary>Difference.</summary>
    public static Value operator -(Value a, Value b) => new(a.Data - b.Data, "-", a, 1.0, b, -1.0);

    /// <summary>Product.</summary>
    public static Value operator *(Value a, Value b) => new(a.Data * b.Data, "*", a, b.Data, b, a.Data);

    /// <summary>Quotient (division by zero gives an infinity or NaN, as doubles do). The local derivatives are
    /// <c>1/b</c> and <c>-(a/b)(1/b)</c>: no <c>b*b</c>, which would overflow for |b| below 1e-154.</summary>
    public static Value operator /(Value a, Value b)
    {
        double quotient = a.Data / b.Data, inverse = 1.0 / b.Data;
        return new(quotient, "/", a, inverse, b, -(quotient * inverse));
    }

    /// <summary>Negation.</summary>
    public static Value operator -(Value a) => new(-a.Data, "neg", a, -1.0);

    /// <summary><c>this^exponent</c> for a constant exponent. The derivative is 0 when the exponent is 0 (as
    /// PyTorch), so <c>x^0</c> stays harmless at <c>x = 0</c>.</summary>
    public Value Pow(double exponent) =>
        new(Math.Pow(Data, exponent), "^" + exponent.ToString("R", CultureInfo.InvariantCulture), this,
            exponent == 0.0 ? 0.0 : exponent * Math.Pow(Data, exponent - 1.0));

    /// <summary><c>e^this</c>.</summary>
    public Value Exp()
    {
        double e = Math.Exp(Data);
        return new(e, "exp", this, e);
    }

    /// <summary>Natural logarithm (NaN below 0, -Infinity at 0, as <see cref="Math.Log(double)"/>).</summary>
    public Value Log() => new(Math.Log(Data), "log", this, 1.0 / Data);

    /// <summary>Hyperbolic tangent.</summary>
    public Value Tanh()
    {
        double t = Math.Tanh(Data);
        return new(t, "tanh", this, 1.0 - t * t);
    }

    /// <summary>The logistic function, as <see cref="SymMath.Sigmoid(double)"/>.</summary>
    public Value Sigmoid()
    {
        double s = SymMath.Sigmoid(Data);
        return new(s, "sigmoid", this, s * (1.0 - s));
    }

    /// <summary><c>max(0, this)</c> as <see cref="SymMath.Relu(double)"/> (NaN stays NaN); derivative 1 above 0, else 0
    /// (0 at the kink and at NaN).</summary>
    public Value Relu() => new(SymMath.Relu(Data), "ReLU", this, Data > 0.0 ? 1.0 : 0.0);

    /// <summary>
    /// Sets this node's gradient to 1 and adds d(this)/d(node) into the <see cref="Grad"/> of every node below it.
    /// Gradients accumulate as in micrograd: zero them (see <c>Module.ZeroGrad</c>) before a second pass.
    /// </summary>
    public void Backward()
    {
        List<Value> order = TopologicalOrder();
        Grad = 1.0;
        for (int i = order.Count - 1; i >= 0; i--)
        {
            Value node = order[i];
            Value[] children = node._children;
            if (children.Length > 0) children[0].Grad += node._dFirst * node.Grad;
            if (children.Length > 1) children[1].Grad += node._dSecond * node.Grad;
        }
    }

    /// <summary><c>Value(data=...)</c> with the data in round-trip format, as micrograd's <c>repr</c>.</summary>
    public override string ToString() => "Value(data=" + Format(Data) + ")";

    /// <summary>
    /// Graphviz text for the graph below this node, as micrograd's <c>draw_dot</c> draws it: left to right, a record
    /// per value (<c>{ label | data 1.0000 | grad 0.0000 }</c>) and a small node per operator, edges
    /// operand -&gt; operator -&gt; result. Render with <c>dot -Tsvg</c>.
    /// </summary>
    public string ToDot()
    {
        List<Value> order = TopologicalOrder();
        var id = new Dictionary<Value, int>(order.Count, ReferenceEqualityComparer.Instance);
        for (int i = 0; i < order.Count; i++) id[order[i]] = i;

        var dot = new StringBuilder();
        dot.AppendLine("digraph {");
        dot.AppendLine("  rankdir=LR;");
        foreach (Value v in order)
        {
            int n = id[v];
            dot.Append(CultureInfo.InvariantCulture,
                $"  v{n} [shape=record, label=\"{{ {EscapeRecord(v.Label)} | data {v.Data:F4} | grad {v.Grad:F4} }}\"];\n");
            if (v.Op.Length == 0) continue;
            dot.Append(CultureInfo.InvariantCulture, $"  v{n}_op [label=\"{EscapeQuoted(v.Op)}\"];\n");
            dot.Append(CultureInfo.InvariantCulture, $"  v{n}_op -> v{n};\n");
            foreach (Value child in v._children)
                dot.Append(CultureInfo.InvariantCulture, $"  v{id[child]} -> v{n}_op;\n");
        }
        dot.AppendLine("}");
        return dot.ToString();
    }

    /// <summary>Every node below (and including) this one, operands before results. Iterative, with an explicit
    /// stack, so a chain of a million nodes does not overflow the call stack (micrograd's recursion dies at a few
    /// thousand). The visited set is local: nothing is shared between calls or threads.</summary>
    private List<Value> TopologicalOrder()
    {
        var order = new List<Value>();
        var visited = new HashSet<Value>(ReferenceEqualityComparer.Instance) { this };
        var stack = new Stack<(Value Node, int NextChild)>();
        stack.Push((this, 0));
        while (stack.Count > 0)
        {
            (Value node, int next) = stack.Pop();
            if (next < node._children.Length)
            {
                stack.Push((node, next + 1));
                Value child = node._children[next];
                if (visited.Add(child)) stack.Push((child, 0));
            }
            else
            {
                order.Add(node); // all its operands are already in the list
            }
        }
        return order;
    }

    private static string Format(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    // Characters with a meaning inside a Graphviz record label, plus the quote and backslash of the string itself.
    private static string EscapeRecord(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            if (c is '{' or '}' or '|' or '<' or '>' or '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static string EscapeQuoted(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
