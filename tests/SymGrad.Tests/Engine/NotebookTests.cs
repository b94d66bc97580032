namespace SymGrad.Tests.Engine;

/// <summary>
/// The seed notebook's 3-4-4-1 network (weights copied from its text), rebuilt on the tape as its cells do, against
/// the numbers the notebook printed: an independent reference (Python floats and PyTorch).
/// </summary>
public class NotebookTests
{
    private static readonly double[][] W1 =
    [
        [-0.7731, 0.1601, 0.4321], [-0.0346, -0.2008, 0.3647], [-0.7577, 0.4841, -0.0354], [0.1601, -0.2008, 0.4841],
    ];
    private static readonly double[] B1 = [-0.0132, 0.7161, -0.4399, 0.5371];
    private static readonly double[][] W2 =
    [
        [-0.4812, -0.3530, -0.4004, -0.0734], [0.7681, -0.3188, 0.5793, 0.9179],
        [0.1169, -0.2848, -0.4631, 0.1716], [0.8809, 0.6788, 0.2416, 0.3609],
    ];
    private static readonly double[] B2 = [0.1427, -0.7043, -0.8546, 0.4936];
    private static readonly double[] WOut = [-0.2537, -0.5915, -0.0293, -0.3593];
    private const double BOut = 0.3446;
    private static readonly double[][] X = [[2.5, 3.0, -2.5], [4.0, -1.0, 0.5], [0.5, 1.5, 1.0], [3.0, 2.0, -2.0]];
    private static readonly double[] Targets = [1.0, -1.0, 1.0, 1.0];

    /// <summary>The network's leaves, so a test can read their gradients after Backward.</summary>
    private sealed class Net
    {
        public Value[][] W1 = Leaves(NotebookTests.W1), W2 = Leaves(NotebookTests.W2), X = Leaves(NotebookTests.X);
        public Value[] B1 = Leaves(NotebookTests.B1), B2 = Leaves(NotebookTests.B2), WOut = Leaves(NotebookTests.WOut);
        public Value BOut = new(NotebookTests.BOut);

        // Cell [3]: z starts at Value(0), z += W[i][j] * x[j] in order, then the bias, then relu.
        public Value Forward(Value[] x)
        {
            Value[] h2 = Dense(W2, B2, Dense(W1, B1, x));
            Value y = new(0);
            for (int j = 0; j < 4; j++) y += WOut[j] * h2[j];
            return y + BOut;
        }

        private static Value[] Dense(Value[][] w, Value[] b, Value[] x)
        {
            var h = new Value[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                Value z = new(0);
                for (int j = 0; j < x.Length; j++) z += w[i][j] * x[j];
                z += b[i];
                h[i] = z.Relu();
            }
            return h;
        }

        private static Value[] Leaves(double[] a) => a.Select(v => new Value(v)).ToArray();
        private static Value[][] Leaves(double[][] a) => a.Select(Leaves).ToArray();
    }

    [Fact]
    public void Section1_predictions_are_the_printed_ones_exactly()
    {
        var net = new Net();
        double[] printed = [0.13104653000000002, -0.5591761382710001, -0.20866182982549997, 0.13104653000000002];
        for (int i = 0; i < 4; i++)
        {
            Value y = net.Forward(net.X[i]);
            Assert.Equal(printed[i], y.Data);
            Assert.Equal($"Value(data={printed[i]:R})", y.ToString());
        }
    }

    [Fact]
    public void Section1_loss_is_the_printed_one_exactly()
    {
        var net = new Net();
        Value loss = new(0);
        for (int i = 0; i < 4; i++)
        {
            Value y = net.Forward(net.X[i]);
            Value t = new(Targets[i]);
            loss += (y - t) * (y - t);
        }
        Assert.Equal(3.165349361996877, loss.Data);
    }

    /// <summary>Cell [6]: ((y_pred (4,1) - y_true (4,)) ** 2).mean() broadcasts to 16 squares.</summary>
    private static (Net Net, Value Loss) PyTorchCell()
    {
        var net = new Net();
        Value[] y = net.X.Select(net.Forward).ToArray();
        Value sum = new(0);
        for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            sum += (y[i] - Targets[j]).Pow(2);
        return (net, sum / 16.0);
    }

    [Fact]
    public void Section2_broadcast_loss_in_float64()
    {
        var (_, loss) = PyTorchCell();
        Assert.Equal(1.224077251746094, loss.Data, 1e-15);
        // The notebook printed float32's 1.2240772247314453: the float64 figure rounds to it.
        Assert.Equal(1.2240772247314453, (double)(float)loss.Data);
    }

    public static TheoryData<string> PrintedTables => new(Printed.Keys);

    // The gradient tables cell [6] printed, copied from the notebook text.
    private static readonly Dictionary<string, (Func<Net, Value[]> Of, double[] Printed)> Printed = new()
    {
        ["W1"] = (n => n.W1.SelectMany(r => r).ToArray(),
            [0.0561, 0.1682, 0.1121, 0.1604, 0.1003, 0.1011, 0.0000, 0.0000, 0.0000, 1.4478, -0.2873, 0.2240]),
        ["W2"] = (n => n.W2.SelectMany(r => r).ToArray(),
            [0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.3010, 0.0000, 0.5076,
             0.0000, 0.0000, 0.0000, 0.0000, 0.0347, 0.2799, 0.0000, 0.4102]),
        ["W_out"] = (n => n.WOut, [-0.0526, -0.2525, 0.0000, -1.6442]),
        ["b1"] = (n => n.B1, [0.1121, 0.1157, 0.0000, 0.4022]),
        ["b2"] = (n => n.B2, [0.0936, 0.3133, 0.0000, 0.4502]),
        ["b_out"] = (n => [n.BOut], [-1.2529]),
        ["X"] = (n => n.X.SelectMany(r => r).ToArray(),
            [0.0000, 0.0000, 0.0000, 0.0560, -0.0774, 0.1831, -0.0823, -0.0086, 0.1022, 0.0000, 0.0000, 0.0000]),
    };

    [Theory]
    [MemberData(nameof(PrintedTables))]
    public void Section2_gradients_match_the_printed_tables_to_four_decimals(string table)
    {
        var (net, loss) = PyTorchCell();
        loss.Backward();
        var (of, printed) = Printed[table];
        Value[] leaves = of(net);
        Assert.Equal(printed.Length, leaves.Length);
        for (int i = 0; i < printed.Length; i++)
            Assert.True(Math.Abs(leaves[i].Grad - printed[i]) <= 0.5e-4 + 1e-12,
                $"{table}[{i}]: ours {leaves[i].Grad}, printed {printed[i]:F4}");
    }
}
