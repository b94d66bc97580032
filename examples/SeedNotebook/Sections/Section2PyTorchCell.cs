using SymGrad;

namespace SeedNotebook.Sections;

/// <summary>
/// Cell [6], the PyTorch version, recomputed in float64 on the Value engine with the cell's own loss: predictions of
/// shape (4,1) minus targets of shape (4,) broadcast to a 4x4 matrix, whose 16 squares <c>.mean()</c> averages.
/// </summary>
public static class Section2PyTorchCell
{
    public static void Run()
    {
        Print.Section("2. The PyTorch cell (cell [6]) in float64");

        var net = new NotebookNet();
        Value[] y = net.ForwardAll();
        double[] targets = SeedData.Targets();

        // ((y_pred - y_true) ** 2).mean() with y_pred (4,1) and y_true (4,): element [i, j] is y[i] - t[j].
        Value sum = new(0);
        for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            sum += (y[i] - targets[j]).Pow(2);
        Value loss = sum / 16.0;

        Console.WriteLine($"Broadcast loss, mean of 16 squares, float64:   {Print.R(loss.Data)}");
        Console.WriteLine($"  the same rounded to float32:                  {Print.R((float)loss.Data)}");
        Console.WriteLine($"  the notebook printed (float32):               {Print.R(SeedData.PrintedTorchLoss)}");

        loss.Backward();
        Console.WriteLine();
        Console.WriteLine("Gradients of that loss, ours (float64) beside the tables the notebook printed (float32):");
        double[][][] ours =
        [
            NotebookNet.Grads(net.W1), NotebookNet.Grads(net.W2), [NotebookNet.Grads(net.WOut)],
            [NotebookNet.Grads(net.B1)], [NotebookNet.Grads(net.B2)], [[net.BOut.Grad]], NotebookNet.Grads(net.X),
        ];
        var printed = SeedData.PrintedTorchGradients();
        int agree = 0, total = 0;
        for (int k = 0; k < printed.Count; k++)
        {
            Print.SideBySide(printed[k].Name + ".grad", "ours", ours[k], "notebook", printed[k].Table);
            for (int i = 0; i < ours[k].Length; i++)
            for (int j = 0; j < ours[k][i].Length; j++, total++)
                if (Print.F4(ours[k][i][j]) == Print.F4(printed[k].Table[i][j])) agree++;
        }
        Console.WriteLine($"  {agree} of {total} printed entries agree to all four decimals.");

        // What the cell meant: the mean of the 4 squared errors (y_pred.squeeze(1) - y_true).
        var fresh = new NotebookNet();
        Value[] p = fresh.ForwardAll();
        Value mse = new(0);
        for (int i = 0; i < 4; i++) mse += (p[i] - targets[i]).Pow(2);
        mse /= 4.0;
        Console.WriteLine();
        Console.WriteLine($"The intended MSE, mean of the 4 squared errors: {Print.R(mse.Data)}  (= 3.165349361996877 / 4)");
        Console.WriteLine();
        Console.WriteLine("This is a real bug in the notebook. y_pred has shape (4,1) and y_true has shape (4,), so");
        Console.WriteLine("y_pred - y_true broadcasts to a 4x4 matrix (every prediction minus every target) and .mean()");
        Console.WriteLine("averages 16 squares, not the 4 errors of section 1. The notebook's explanation (\"the mean");
        Console.WriteLine("divides by N\") does not account for it: the correct MSE is 3.165349361996877 / 4 =");
        Console.WriteLine($"{Print.R(mse.Data)}, which y_pred.squeeze(1) - y_true would give. The tables above are the");
        Console.WriteLine("gradients of the wrong loss; we reproduce them only to show where the notebook's numbers come from.");
    }
}
