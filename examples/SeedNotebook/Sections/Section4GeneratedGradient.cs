using SeedNotebook.Network;
using SymGrad;

namespace SeedNotebook.Sections;

/// <summary>
/// Section 4: the same loss differentiated at compile time. <see cref="SeedNet.LossGradient"/> is straight-line C#
/// that SymGrad generated from <see cref="SeedNet.Loss"/>; <see cref="SeedNet.LossTape"/> is the same method on the
/// Value engine. Their gradients are printed side by side with the largest difference.
/// </summary>
public static class Section4GeneratedGradient
{
    public static void Run()
    {
        Print.Section("4. The generated gradient: SeedNet.LossGradient (compile time) vs SeedNet.LossTape (Value engine)");
        SeedParameters p = SeedParameters.Notebook(), d = new();
        double[,] xs = SeedParameters.Inputs(), dXs = new double[SeedNet.Samples, SeedNet.In];
        double[] targets = SeedData.Targets();
        double dBOut = 0;
        double loss = SeedNet.LossGradient(p.W1, p.B1, p.W2, p.B2, p.WOut, p.BOut, xs, targets, d.W1, d.B1, d.W2, d.B2, d.WOut, ref dBOut, dXs);

        Value[,] w1 = Value.Leaves(p.W1), w2 = Value.Leaves(p.W2), x = Value.Leaves(xs);
        Value[] b1 = Value.Leaves(p.B1), b2 = Value.Leaves(p.B2), wOut = Value.Leaves(p.WOut);
        var bOut = new Value(p.BOut, "b_out");
        Value tape = SeedNet.LossTape(w1, b1, w2, b2, wOut, bOut, x, targets);
        tape.Backward();

        Console.WriteLine($"  loss, generated: {Print.R(loss)}   tape: {Print.R(tape.Data)}   notebook: {Print.R(SeedData.PrintedLoss)}");
        double worst = 0;
        void Compare(string name, double[][] generated, double[][] reference)
        {
            Print.SideBySide(name, "generated", generated, "tape", reference);
            worst = Math.Max(worst, Print.MaxAbsDiff(generated, reference));
        }
        Compare("dLoss/dW1", Rows(d.W1), Rows(Grads(w1)));
        Compare("dLoss/db1", [d.B1], [Grads(b1)]);
        Compare("dLoss/dW2", Rows(d.W2), Rows(Grads(w2)));
        Compare("dLoss/db2", [d.B2], [Grads(b2)]);
        Compare("dLoss/dW_out", [d.WOut], [Grads(wOut)]);
        Compare("dLoss/db_out", [[dBOut]], [[bOut.Grad]]);
        Compare("dLoss/dX", Rows(dXs), Rows(Grads(x)));
        Console.WriteLine($"  largest |generated - tape| over all 57 derivatives: {Print.E(worst)}");
    }

    private static double[] Grads(Value[] v) => Array.ConvertAll(v, x => x.Grad);

    private static double[,] Grads(Value[,] v)
    {
        var r = new double[v.GetLength(0), v.GetLength(1)];
        for (int i = 0; i < v.GetLength(0); i++)
        {
            for (int j = 0; j < v.GetLength(1); j++) r[i, j] = v[i, j].Grad;
        }
        return r;
    }

    private static double[][] Rows(double[,] m)
    {
        var rows = new double[m.GetLength(0)][];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new double[m.GetLength(1)];
            for (int j = 0; j < rows[i].Length; j++) rows[i][j] = m[i, j];
        }
        return rows;
    }
}
