using System.Diagnostics;
using SymGrad;

namespace Moons;

/// <summary>One SGD step: the loss and accuracy at the step's parameters (before its update) and its time.</summary>
public readonly record struct StepRecord(int Step, double Loss, double Accuracy, double Milliseconds);

/// <summary>micrograd's demo training: full-batch SGD, learning rate <c>1.0 - 0.9·k/100</c> at step k.</summary>
public static class Training
{
    public const int Steps = 100;

    /// <summary>The demo's schedule: 1.0 at step 0 down to 0.109 at step 99.</summary>
    public static double LearningRate(int k) => 1.0 - 0.9 * k / 100;

    /// <summary>The loss, with its gradient written into <paramref name="gradient"/> by the generated <c>LossGradient</c>.</summary>
    public static double GeneratedLoss(MoonsModel model, MoonsData data, MoonsModel gradient)
    {
        double dB3 = 0;
        double loss = MoonsNet.LossGradient(model.W1, model.B1, model.W2, model.B2, model.W3, model.B3, data.Xs, data.Ys,
            gradient.W1, gradient.B1, gradient.W2, gradient.B2, gradient.W3, ref dB3);
        gradient.B3 = dB3;
        return loss;
    }

    /// <summary>
    /// The same loss on the <see cref="Value"/> tape: one leaf per parameter, the tape twin <c>LossTape</c> (the
    /// method's body run on <see cref="Value"/>s), <see cref="Value.Backward"/>, and each leaf's gradient read back.
    /// </summary>
    public static double TapeLoss(MoonsModel model, MoonsData data, MoonsModel gradient)
    {
        Value[,] w1 = Value.Leaves(model.W1), w2 = Value.Leaves(model.W2);
        Value[] b1 = Value.Leaves(model.B1), b2 = Value.Leaves(model.B2), w3 = Value.Leaves(model.W3);
        var b3 = new Value(model.B3);
        Value loss = MoonsNet.LossTape(w1, b1, w2, b2, w3, b3, data.Xs, data.Ys);
        loss.Backward();
        Grads(w1, gradient.W1);
        Grads(b1, gradient.B1);
        Grads(w2, gradient.W2);
        Grads(b2, gradient.B2);
        Grads(w3, gradient.W3);
        gradient.B3 = b3.Grad;
        return loss.Data;
    }

    /// <summary>
    /// Trains <paramref name="model"/> in place for <paramref name="steps"/> steps with <paramref name="lossAndGradient"/>;
    /// each step's time covers the loss, the gradient and the update (not the accuracy, which is for printing).
    /// </summary>
    public static List<StepRecord> Run(MoonsModel model, MoonsData data, Func<MoonsModel, MoonsData, MoonsModel, double> lossAndGradient,
                                       int steps = Steps)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(lossAndGradient);
        var gradient = new MoonsModel(model.Inputs, model.Hidden1, model.Hidden2);
        var records = new List<StepRecord>(steps);
        for (int k = 0; k < steps; k++)
        {
            double accuracy = model.Accuracy(data.Xs, data.Ys);
            long start = Stopwatch.GetTimestamp();
            double loss = lossAndGradient(model, data, gradient);
            model.Step(gradient, LearningRate(k));
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            records.Add(new StepRecord(k, loss, accuracy, ms));
        }
        return records;
    }

    public static double Median(IEnumerable<double> values)
    {
        double[] v = values.Order().ToArray();
        if (v.Length == 0) throw new ArgumentException("no values", nameof(values));
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }

    private static void Grads(Value[] v, double[] into)
    {
        for (int i = 0; i < v.Length; i++) into[i] = v[i].Grad;
    }

    private static void Grads(Value[,] v, double[,] into)
    {
        for (int i = 0; i < v.GetLength(0); i++)
        {
            for (int j = 0; j < v.GetLength(1); j++) into[i, j] = v[i, j].Grad;
        }
    }
}
