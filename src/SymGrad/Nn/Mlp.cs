namespace SymGrad.Nn;

/// <summary>
/// A multilayer perceptron (micrograd's <c>MLP</c>): ReLU on every layer but the last, which is linear. Weights are
/// uniform in [-1, 1) from <c>new System.Random(seed)</c>, biases 0, so the same seed gives the same network.
/// </summary>
public sealed class Mlp : Module
{
    private readonly Layer[] _layers;

    /// <summary>A network of <paramref name="nin"/> inputs and one layer per entry of <paramref name="nouts"/>.</summary>
    /// <param name="nin">Number of inputs (at least 1).</param>
    /// <param name="nouts">Width of each layer, the last being the output (at least one layer).</param>
    /// <param name="seed">Seed of the weights.</param>
    public Mlp(int nin, int[] nouts, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nin, 1);
        ArgumentNullException.ThrowIfNull(nouts);
        if (nouts.Length == 0) throw new ArgumentException("At least one layer is needed.", nameof(nouts));
        var random = new Random(seed);
        _layers = new Layer[nouts.Length];
        int width = nin;
        for (int i = 0; i < nouts.Length; i++)
        {
            _layers[i] = new Layer(width, nouts[i], nonlinear: i != nouts.Length - 1, random);
            width = nouts[i];
        }
    }

    /// <summary>The layers, input side first.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The network's outputs on the tape.</summary>
    /// <param name="x">One value per input.</param>
    public IReadOnlyList<Value> Forward(IReadOnlyList<Value> x)
    {
        foreach (Layer layer in _layers) x = layer.Forward(x);
        return x;
    }

    /// <summary>The network's outputs for plain numbers (each becomes a leaf).</summary>
    /// <param name="x">One number per input.</param>
    public IReadOnlyList<Value> Forward(params double[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Forward(Array.ConvertAll(x, v => new Value(v)));
    }

    /// <inheritdoc />
    public override IReadOnlyList<Value> Parameters() => _layers.SelectMany(l => l.Parameters()).ToArray();
}
