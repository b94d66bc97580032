namespace SeedNotebook.Pictures;

/// <summary>One recorded moment of training: the step, the weights after it, and the loss AT those weights.</summary>
public sealed record TrainingFrame(int Step, double[] Parameters, double Loss);

/// <summary>Plain gradient descent, p ← p − lr·∇loss, recording frames for the pictures and the animation.</summary>
public static class SgdTraining
{
    /// <param name="recordEvery">A frame is kept at step 0, every this many steps, and at the last step.</param>
    public static IReadOnlyList<TrainingFrame> Run(GradientFn gradient, double[] start, double learningRate,
        int steps, int recordEvery = 1)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(start);
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "must be finite and > 0");
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(recordEvery);

        var p = (double[])start.Clone();
        var grad = new double[p.Length];
        var frames = new List<TrainingFrame>();
        for (int step = 0; ; step++)
        {
            // The loss returned is at the CURRENT weights, so a frame's weights and loss belong together.
            double loss = gradient(p, grad);
            if (step % recordEvery == 0 || step == steps)
                frames.Add(new TrainingFrame(step, (double[])p.Clone(), loss));
            if (step == steps) return frames;
            for (int i = 0; i < p.Length; i++) p[i] -= learningRate * grad[i];
        }
    }
}
