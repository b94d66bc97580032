using SymGrad;

namespace SeedNotebook.Sections;

/// <summary>
/// The notebook's 3-4-4-1 network as <see cref="Value"/> leaves made from <see cref="SeedData"/>, with cell [3]'s
/// forward pass. The leaves are fields so that their gradients can be read after <see cref="Value.Backward"/>.
/// </summary>
public sealed class NotebookNet
{
    /// <summary>Leaves of the weights, biases and inputs, shaped as in <see cref="SeedData"/>.</summary>
    public Value[][] W1 { get; } = Leaves(SeedData.W1());
    /// <inheritdoc cref="W1"/>
    public Value[] B1 { get; } = Leaves(SeedData.B1());
    /// <inheritdoc cref="W1"/>
    public Value[][] W2 { get; } = Leaves(SeedData.W2());
    /// <inheritdoc cref="W1"/>
    public Value[] B2 { get; } = Leaves(SeedData.B2());
    /// <inheritdoc cref="W1"/>
    public Value[] WOut { get; } = Leaves(SeedData.WOut());
    /// <inheritdoc cref="W1"/>
    public Value BOut { get; } = new(SeedData.BOut);
    /// <inheritdoc cref="W1"/>
    public Value[][] X { get; } = Leaves(SeedData.X());

    /// <summary>
    /// Cell [3] step by step, so the rounding is the notebook's: each neuron's z starts at <c>Value(0)</c>, adds
    /// <c>W[i][j] * x[j]</c> in order, then its bias, then ReLU; the output layer has no ReLU.
    /// </summary>
    public Value Forward(Value[] x)
    {
        Value[] h1 = Dense(W1, B1, x);
        Value[] h2 = Dense(W2, B2, h1);
        Value y = new(0);
        for (int j = 0; j < 4; j++) y += WOut[j] * h2[j];
        y += BOut;
        return y;
    }

    /// <summary>The four predictions, one per row of <see cref="X"/>.</summary>
    public Value[] ForwardAll() => Array.ConvertAll(X, Forward);

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

    private static Value[] Leaves(double[] a) => Array.ConvertAll(a, v => new Value(v));
    private static Value[][] Leaves(double[][] a) => Array.ConvertAll(a, Leaves);

    /// <summary>The gradients of a table of leaves.</summary>
    public static double[][] Grads(Value[][] leaves) => Array.ConvertAll(leaves, Grads);

    /// <summary>The gradients of a row of leaves.</summary>
    public static double[] Grads(Value[] leaves) => Array.ConvertAll(leaves, v => v.Grad);
}
