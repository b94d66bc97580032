#if HAS_VALUE
using SymGrad.Benchmarks.Problems;

namespace SymGrad.Benchmarks.Baselines;

/// <summary>
/// The <c>Value</c>-tape baseline for cases (a) and (b), written by hand as the generated <c>LossTape</c> will be:
/// the same loops on <c>Value</c>. A gradient call makes fresh leaves (Backward accumulates into them), builds the
/// graph, runs Backward and copies the leaves' Grad out: everything a user of the tape pays per gradient.
/// </summary>
internal static class MlpTape
{
    public static Value Loss(Value[,] w1, Value[] b1, Value[,] w2, Value[] b2, Value[] wOut, Value bOut,
                             double[,] x, double[] y)
    {
        int nIn = w1.GetLength(1), n1 = w1.GetLength(0), n2 = w2.GetLength(0);
        var h1 = new Value[n1];
        var h2 = new Value[n2];
        Value loss = 0.0;
        for (int s = 0; s < y.Length; s++)
        {
            for (int i = 0; i < n1; i++)
            {
                Value z = b1[i];
                for (int j = 0; j < nIn; j++) z += w1[i, j] * x[s, j];
                h1[i] = z.Relu();
            }
            for (int i = 0; i < n2; i++)
            {
                Value z = b2[i];
                for (int j = 0; j < n1; j++) z += w2[i, j] * h1[j];
                h2[i] = z.Relu();
            }
            Value pred = bOut;
            for (int j = 0; j < n2; j++) pred += wOut[j] * h2[j];
            Value err = pred - y[s];
            loss += err * err;
        }
        return loss;
    }

    /// <summary>The signature of a tape loss: this class's <see cref="Loss"/> or a generated <c>LossTape</c>.</summary>
    public delegate Value TapeLoss(Value[,] w1, Value[] b1, Value[,] w2, Value[] b2, Value[] wOut, Value bOut,
                                   double[,] x, double[] y);

    public static double LossGradient(MlpProblem p, MlpGradient g) => LossGradient(p, g, Loss);

    public static double LossGradient(MlpProblem p, MlpGradient g, TapeLoss tapeLoss)
    {
        Value[,] w1 = Leaves(p.W1), w2 = Leaves(p.W2);
        Value[] b1 = Leaves(p.B1), b2 = Leaves(p.B2), wOut = Leaves(p.WOut);
        var bOut = new Value(p.BOut);
        Value loss = tapeLoss(w1, b1, w2, b2, wOut, bOut, p.X, p.Y);
        loss.Backward();
        Grads(w1, g.DW1); Grads(b1, g.DB1); Grads(w2, g.DW2); Grads(b2, g.DB2); Grads(wOut, g.DWOut);
        g.DBOut = bOut.Grad;
        return loss.Data;
    }

    internal static Value[] Leaves(double[] a) => Array.ConvertAll(a, v => new Value(v));

    internal static Value[,] Leaves(double[,] a)
    {
        var l = new Value[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) l[i, j] = new Value(a[i, j]);
        return l;
    }

    internal static void Grads(Value[] l, Span<double> into)
    {
        for (int i = 0; i < l.Length; i++) into[i] = l[i].Grad;
    }

    internal static void Grads(Value[,] l, double[,] into)
    {
        for (int i = 0; i < l.GetLength(0); i++) for (int j = 0; j < l.GetLength(1); j++) into[i, j] = l[i, j].Grad;
    }
}
#endif
