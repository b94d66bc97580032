using SeedNotebook.Network;

namespace SymGrad.Tests.Generator;

/// <summary>
/// The example's generated <c>SeedNet.LossGradient</c> (compiled by the real build, called directly) on the seed
/// notebook's weights: the notebook's printed loss exactly, and every gradient as the Value engine computes it,
/// the network rebuilt here by hand on the tape as the notebook's cells do (independent of the generator).
/// </summary>
public class SeedNetGradientTests
{
    // The notebook's weights and data, as in Engine/NotebookTests (copied from the notebook text).
    internal static readonly double[,] W1 = { { -0.7731, 0.1601, 0.4321 }, { -0.0346, -0.2008, 0.3647 }, { -0.7577, 0.4841, -0.0354 }, { 0.1601, -0.2008, 0.4841 } };
    internal static readonly double[] B1 = [-0.0132, 0.7161, -0.4399, 0.5371];
    internal static readonly double[,] W2 =
    {
        { -0.4812, -0.3530, -0.4004, -0.0734 }, { 0.7681, -0.3188, 0.5793, 0.9179 },
        { 0.1169, -0.2848, -0.4631, 0.1716 }, { 0.8809, 0.6788, 0.2416, 0.3609 },
    };
    internal static readonly double[] B2 = [0.1427, -0.7043, -0.8546, 0.4936];
    internal static readonly double[] WOut = [-0.2537, -0.5915, -0.0293, -0.3593];
    internal const double BOut = 0.3446;
    internal static readonly double[,] Xs = { { 2.5, 3.0, -2.5 }, { 4.0, -1.0, 0.5 }, { 0.5, 1.5, 1.0 }, { 3.0, 2.0, -2.0 } };
    internal static readonly double[] Targets = [1.0, -1.0, 1.0, 1.0];

    /// <summary>The notebook's section-1 loss on the tape: z from Value(0), += w·x in order, + b, relu; sum of (y - t)^2.</summary>
    private sealed class TapeNet
    {
        public readonly Value[,] W1 = Leaves(SeedNetGradientTests.W1), W2 = Leaves(SeedNetGradientTests.W2), Xs = Leaves(SeedNetGradientTests.Xs);
        public readonly Value[] B1 = Leaves(SeedNetGradientTests.B1), B2 = Leaves(SeedNetGradientTests.B2), WOut = Leaves(SeedNetGradientTests.WOut);
        public readonly Value BOut = new(SeedNetGradientTests.BOut);

        public Value Loss()
        {
            Value loss = new(0);
            for (int s = 0; s < 4; s++)
            {
                Value[] x = [Xs[s, 0], Xs[s, 1], Xs[s, 2]];
                Value[] h2 = Dense(W2, B2, Dense(W1, B1, x));
                Value y = new(0);
                for (int j = 0; j < 4; j++) y += WOut[j] * h2[j];
                y += BOut;
                Value e = y - Targets[s];
                loss += e * e;
            }
            return loss;
        }

        private static Value[] Dense(Value[,] w, Value[] b, Value[] x)
        {
            var h = new Value[w.GetLength(0)];
            for (int i = 0; i < h.Length; i++)
            {
                Value z = new(0);
                for (int j = 0; j < x.Length; j++) z += w[i, j] * x[j];
                z += b[i];
                h[i] = z.Relu();
            }
            return h;
        }

        private static Value[] Leaves(double[] a) => a.Select(v => new Value(v)).ToArray();

        private static Value[,] Leaves(double[,] a)
        {
            var v = new Value[a.GetLength(0), a.GetLength(1)];
            for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++)
                v[i, j] = new Value(a[i, j]);
            return v;
        }
    }

    [Fact]
    public void Loss_is_the_notebooks_printed_loss_exactly()
    {
        double[,] dW1 = new double[4, 3], dW2 = new double[4, 4], dXs = new double[4, 3];
        double[] dB1 = new double[4], dB2 = new double[4], dWOut = new double[4];
        double dBOut = 0;
        double loss = SeedNet.LossGradient(W1, B1, W2, B2, WOut, BOut, Xs, Targets, dW1, dB1, dW2, dB2, dWOut, ref dBOut, dXs);
        Assert.Equal(3.165349361996877, loss);
        Assert.Equal(3.165349361996877, SeedNet.Loss(W1, B1, W2, B2, WOut, BOut, Xs, Targets));
    }

    [Fact]
    public void Every_gradient_equals_the_value_engines()
    {
        var net = new TapeNet();
        Value tapeLoss = net.Loss();
        tapeLoss.Backward();
        Assert.Equal(3.165349361996877, tapeLoss.Data);

        // Garbage in every adjoint: the generated code must overwrite it.
        double[,] dW1 = Garbage(4, 3), dW2 = Garbage(4, 4), dXs = Garbage(4, 3);
        double[] dB1 = [9, 9, 9, 9], dB2 = [9, 9, 9, 9], dWOut = [9, 9, 9, 9];
        double dBOut = 9;
        SeedNet.LossGradient(W1, B1, W2, B2, WOut, BOut, Xs, Targets, dW1, dB1, dW2, dB2, dWOut, ref dBOut, dXs);

        AssertClose("W1", net.W1.Cast<Value>(), dW1.Cast<double>());
        AssertClose("b1", net.B1, dB1);
        AssertClose("W2", net.W2.Cast<Value>(), dW2.Cast<double>());
        AssertClose("b2", net.B2, dB2);
        AssertClose("W_out", net.WOut, dWOut);
        AssertClose("b_out", [net.BOut], [dBOut]);
        AssertClose("X", net.Xs.Cast<Value>(), dXs.Cast<double>());
    }

    [Fact]
    public void The_tape_twin_computes_the_printed_loss_too()
    {
        Value loss = SeedNet.LossTape(Leaves(W1), B1.Select(v => new Value(v)).ToArray(), Leaves(W2), B2.Select(v => new Value(v)).ToArray(),
            WOut.Select(v => new Value(v)).ToArray(), new Value(BOut), Leaves(Xs), Targets);
        Assert.Equal(3.165349361996877, loss.Data);
    }

    [Fact]
    public void Predictions_are_the_notebooks_printed_ones_exactly()
    {
        double[] printed = [0.13104653000000002, -0.5591761382710001, -0.20866182982549997, 0.13104653000000002];
        double[,] dW1 = new double[4, 3], dW2 = new double[4, 4];
        double[] dB1 = new double[4], dB2 = new double[4], dWOut = new double[4], dX = new double[3];
        for (int s = 0; s < 4; s++)
        {
            double[] x = [Xs[s, 0], Xs[s, 1], Xs[s, 2]];
            double dBOut = 0;
            Assert.Equal(printed[s], SeedNet.PredictGradient(W1, B1, W2, B2, WOut, BOut, x, dW1, dB1, dW2, dB2, dWOut, ref dBOut, dX));
            Assert.Equal(1.0, dBOut);
        }
    }

    private static void AssertClose(string table, IEnumerable<Value> tape, IEnumerable<double> generated)
    {
        double[] t = tape.Select(v => v.Grad).ToArray(), g = generated.ToArray();
        Assert.Equal(t.Length, g.Length);
        for (int i = 0; i < t.Length; i++)
        {
            Assert.True(GradientCorrectnessTests.Close(g[i], t[i], 1e-12), $"{table}[{i}]: generated {g[i]:R}, Value engine {t[i]:R}");
        }
    }

    private static double[,] Garbage(int rows, int columns)
    {
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        for (int j = 0; j < columns; j++)
            m[i, j] = 1e3;
        return m;
    }

    private static Value[,] Leaves(double[,] a)
    {
        var v = new Value[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
        for (int j = 0; j < a.GetLength(1); j++)
            v[i, j] = new Value(a[i, j]);
        return v;
    }
}
