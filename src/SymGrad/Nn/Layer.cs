namespace SymGrad.Nn;

/// <summary>A fully connected layer: <c>nout</c> neurons reading the same inputs (micrograd's <c>Layer</c>).</summary>
public sealed class Layer : Module
{
    private readonly Neuron[] _neurons;

    /// <summary>A layer of <paramref name="nout"/> neurons of <paramref name="nin"/> inputs each.</summary>
    /// <param name="nin">Inputs per neuron (at least 1).</param>
    /// <param name="nout">Number of neurons (at least 1).</param>
    /// <param name="nonlinear">Whether each neuron applies a ReLU.</param>
    /// <param name="random">The source of the weights.</param>
    public Layer(int nin, int nout, bool nonlinear, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nout, 1);
        _neurons = new Neuron[nout];
        for (int i = 0; i < nout; i++) _neurons[i] = new Neuron(nin, nonlinear, random);
    }

    /// <summary>The neurons, in output order.</summary>
    public IReadOnlyList<Neuron> Neurons => _neurons;

    /// <summary>One output per neuron.</summary>
    /// <param name="x">One value per input.</param>
    public IReadOnlyList<Value> Forward(IReadOnlyList<Value> x)
    {
        var output = new Value[_neurons.Length];
        for (int i = 0; i < _neurons.Length; i++) output[i] = _neurons[i].Forward(x);
        return output;
    }

    /// <inheritdoc />
    public override IReadOnlyList<Value> Parameters() => _neurons.SelectMany(n => n.Parameters()).ToArray();
}
