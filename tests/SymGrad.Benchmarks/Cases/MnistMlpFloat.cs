using SymGrad;

namespace SymGrad.Benchmarks.Cases;

/// <summary>
/// Case (f) in <c>float</c>: <see cref="MnistMlp"/>'s 784-128-10 ReLU classifier, written as machine-learning code
/// usually is, in single precision (<c>MathF</c>, float literals). The generated gradient computes in float too.
/// Labels are class indices stored as floats, as the double case stores them as doubles.
/// This file is also embedded in the program and fed to the generator by <c>GeneratorRunner</c>.
/// </summary>
public static partial class MnistMlpFloat
{
    [Differentiable]
    public static float Loss(float[,] w1, float[] b1, float[,] w2, float[] b2,
                             [NoDerivative] float[,] x, [NoDerivative] float[] labels)
    {
        int batch = x.GetLength(0), inputs = x.GetLength(1), hidden = b1.Length, classes = b2.Length;
        Span<float> h = stackalloc float[hidden];
        Span<float> logits = stackalloc float[classes];
        float loss = 0f;
        for (int s = 0; s < batch; s++)
        {
            for (int j = 0; j < hidden; j++)
            {
                float z = b1[j];
                for (int k = 0; k < inputs; k++) z += w1[j, k] * x[s, k];
                h[j] = SymMathF.Relu(z);
            }

            float max = float.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                float z = b2[c];
                for (int j = 0; j < hidden; j++) z += w2[c, j] * h[j];
                logits[c] = z;
                max = MathF.Max(max, z);
            }

            float sum = 0f;
            for (int c = 0; c < classes; c++) sum += MathF.Exp(logits[c] - max);
            loss += MathF.Log(sum) + max - logits[(int)labels[s]];
        }
        return loss / batch;
    }
}
