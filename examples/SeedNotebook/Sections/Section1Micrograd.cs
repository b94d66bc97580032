using SymGrad;

namespace SeedNotebook.Sections;

/// <summary>Cells [2]-[5]: the 3-4-4-1 network on the micrograd-style engine, its loss and every gradient.</summary>
public static class Section1Micrograd
{
    public static void Run()
    {
        Print.Section("1. The 3-4-4-1 network on the Value engine (cells [2]-[5])");
        Console.WriteLine("The notebook's weights and inputs; each neuron's z starts at Value(0), adds W[i][j]*x[j] in");
        Console.WriteLine("order, then its bias, then ReLU (none on the output), exactly as cell [3].");
        Console.WriteLine();

        var net = new NotebookNet();
        Value[] predictions = net.ForwardAll();
        double[] printed = SeedData.PrintedPredictions();
        for (int i = 0; i < predictions.Length; i++)
        {
            string line = $"Predicción {i + 1}: {Print.R(predictions[i].Data)}";
            Console.WriteLine($"{line,-40}notebook: {Print.R(printed[i]),-22} {Same(predictions[i].Data, printed[i])}");
        }

        // Cell [5]: loss starts at Value(0) and adds (y - t) * (y - t) for each pair.
        double[] targets = SeedData.Targets();
        Value loss = new(0);
        for (int i = 0; i < predictions.Length; i++)
        {
            Value t = new(targets[i]);
            loss += (predictions[i] - t) * (predictions[i] - t);
        }
        string lossLine = $"Loss: {Print.R(loss.Data)}";
        Console.WriteLine($"{lossLine,-40}notebook: {Print.R(SeedData.PrintedLoss),-22} {Same(loss.Data, SeedData.PrintedLoss)}");

        loss.Backward();
        Console.WriteLine();
        Console.WriteLine("Gradients after loss.Backward() (the notebook computes them but prints none):");
        Print.Table("dLoss/dW1", NotebookNet.Grads(net.W1), Print.R);
        Print.Table("dLoss/db1", [NotebookNet.Grads(net.B1)], Print.R);
        Print.Table("dLoss/dW2", NotebookNet.Grads(net.W2), Print.R);
        Print.Table("dLoss/db2", [NotebookNet.Grads(net.B2)], Print.R);
        Print.Table("dLoss/dW_out", [NotebookNet.Grads(net.WOut)], Print.R);
        Print.Table("dLoss/db_out", [[net.BOut.Grad]], Print.R);
        Print.Table("dLoss/dX_s", NotebookNet.Grads(net.X), Print.R);
    }

    private static string Same(double ours, double notebook) => ours == notebook ? "identical" : "DIFFERENT";
}
