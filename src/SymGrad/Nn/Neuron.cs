namespace SymGrad.Nn;

/// <summary>One neuron: <c>relu(w·x + b)</c>, or the plain affine sum when it is linear (micrograd's <c>Neuron</c>).</summary>
public sealed class Neuron : Module
{
    private readonly Value[] _weights;

    /// <summary>Weights drawn uniformly from [-1, 1) with <paramref name="random"/>, bias 0.</summary>
    /// <param name="nin">Number of inputs (at least 1).</param>
    /// <param name="nonlinear">Whether a ReLU follows the affine sum.</param>
    /// <param name="random">The source of the weights; the caller seeds it, so the neuron is reproducible.</param>
    public Neuron(int nin, bool nonlinear, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nin, 1);
        ArgumentNullException.ThrowIfNull(random);
        _weights = new Value[nin];
        for (int i = 0; i < nin; i++) _weights[i] = new Value(random.NextDouble() * 2.0 - 1.0);
        Bias = new Value(0.0);
        Nonlinear = nonlinear;
    }

    /// <summary>The weights, one per input.</summary>
    public IReadOnlyList<Value> Weights => _weights;

    /// <summary>The bias.</summary>
    public Value Bias { get; }

    /// <summary>Whether a ReLU follows the affine sum.</summary>
    public bool Nonlinear { get; }

    /// <summary>The neuron's output on the tape; the sum starts from the bias, as micrograd's does.</summary>
    /// <param name="x">One value per input.</param>
    public Value Forward(IReadOnlyList<Value> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Count != _weights.Length)
            throw new ArgumentException($"Expected {_weights.Length} inputs, got {x.Count}.", nameof(x));
        Value act = Bias;
        for (int i = 0; i < _weights.Length; i++) act += _weights[i] * x[i];
        return Nonlinear ? act.Relu() : act;
    }

    /// <inheritdoc />
    public override IReadOnlyList<Value> Parameters() => [.. _weights, Bias];
}
