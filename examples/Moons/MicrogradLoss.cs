using SymGrad;
using SymGrad.Nn;

namespace Moons;

/// <summary>
/// The demo's loss written as micrograd's notebook writes it, on SymGrad's micrograd port (<see cref="Mlp"/>, the
/// <see cref="Value"/> engine), with no generated code: a third, hand-written reference beside the generated gradient
/// and the tape twin.
/// <code>
/// scores = list(map(model, inputs))
/// losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(yb, scores)]
/// data_loss = sum(losses) * (1.0 / len(losses))
/// reg_loss = alpha * sum((p*p for p in model.parameters()))
/// </code>
/// </summary>
public sealed class MicrogradLoss
{
    private readonly Mlp _mlp;
    private readonly IReadOnlyList<Value> _parameters;

    public MicrogradLoss(int inputs = 2, int hidden1 = 16, int hidden2 = 16)
    {
        _mlp = new Mlp(inputs, [hidden1, hidden2, 1], seed: 0); // its weights are overwritten before every use
        _parameters = _mlp.Parameters();
    }

    /// <summary>A loss-and-gradient function for <see cref="Training.Run"/>.</summary>
    public double Evaluate(MoonsModel model, MoonsData data, MoonsModel gradient)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(gradient);
        // micrograd's parameters() order is MoonsModel.Flatten's: per neuron its weights, then its bias.
        double[] p = model.Flatten();
        if (p.Length != _parameters.Count) throw new ArgumentException($"the model has {p.Length} parameters, the MLP {_parameters.Count}", nameof(model));
        for (int i = 0; i < p.Length; i++) _parameters[i].Data = p[i];
        _mlp.ZeroGrad();

        var losses = new List<Value>(data.Count);
        for (int s = 0; s < data.Count; s++)
        {
            Value score = _mlp.Forward(data.Xs[s, 0], data.Xs[s, 1])[0];
            losses.Add((1 + -data.Ys[s] * score).Relu());
        }
        Value dataLoss = Sum(losses, 0.0) * (1.0 / losses.Count);
        Value regLoss = MoonsNet.Alpha * Sum(_parameters.Select(q => q * q), 0.0);
        Value total = dataLoss + regLoss;
        total.Backward();

        gradient.Load(_parameters.Select(q => q.Grad).ToArray());
        return total.Data;
    }

    /// <summary>Python's <c>sum(xs, start)</c>: left to right from <paramref name="start"/>.</summary>
    private static Value Sum(IEnumerable<Value> xs, Value start)
    {
        Value total = start;
        foreach (Value x in xs) total += x;
        return total;
    }
}
