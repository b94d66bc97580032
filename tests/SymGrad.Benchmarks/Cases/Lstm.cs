using SymGrad;

namespace SymGrad.Benchmarks.Cases;

/// <summary>
/// Case (h): ADBench's LSTM objective (microsoft/ADBench, src/cpp/shared/lstm.h: <c>lstm_model</c>,
/// <c>lstm_predict</c>, <c>lstm_objective</c>), every size read from the arrays at run time, so the generator keeps
/// its loops: over the sequence, the layers and the hidden units.
/// <para>
/// ADBench's layout, as rows: <c>mainParams[2l, 4b]</c> holds for layer L the weights (row 2L) and the biases (row
/// 2L + 1) of the forget, input, output and change gates, b each; <c>extraParams[3, b]</c> the input weights, the
/// output weights and the output biases; <c>state[2l, b]</c> layer L's hidden (row 2L) and cell (row 2L + 1) state;
/// <c>sequence[c, b]</c> one character per row, its b bits, most significant first.
/// </para>
/// <para>
/// ADBench's model as it is: its weights are per unit (a diagonal LSTM: unit i of a gate reads unit i of its input),
/// the forget and output gates read the layer's input and the input and change gates the previous hidden state, and
/// its <c>logsumexp</c> is <c>log(sum exp(y) + 2)</c>. The loss is minus the mean over the (c - 1) b predicted bits
/// of <c>gold * (y - logsumexp(y))</c>, the gold being the next character's bits. ADBench mutates the state; this
/// method copies it into local arrays first. The gradient is with respect to the parameters only, as ADBench's.
/// </para>
/// This file is also embedded in the program and fed to the generator by <c>GeneratorRunner</c>.
/// </summary>
public static partial class Lstm
{
    /// <summary>ADBench's l = 2 and b = 14 (its text's characters need 14 bits), on a 64-character sequence.</summary>
    public const int Layers = 2, Hidden = 14, Characters = 64;

    [Differentiable]
    public static double Objective(double[,] mainParams, double[,] extraParams,
                                   [NoDerivative] double[,] state, [NoDerivative] double[,] sequence)
    {
        int layers = state.GetLength(0) / 2, b = state.GetLength(1), c = sequence.GetLength(0);

        double[,] hidden = new double[layers, b];
        double[,] cell = new double[layers, b];
        for (int layer = 0; layer < layers; layer++)
        {
            for (int i = 0; i < b; i++)
            {
                hidden[layer, i] = state[2 * layer, i];
                cell[layer, i] = state[2 * layer + 1, i];
            }
        }

        // The input of the layer being computed (lstm_predict's layer_output), then the prediction.
        double[] layerInput = new double[b];
        double[] ypred = new double[b];
        double total = 0;
        for (int t = 0; t < c - 1; t++)
        {
            for (int i = 0; i < b; i++) layerInput[i] = sequence[t, i] * extraParams[0, i];

            for (int layer = 0; layer < layers; layer++)
            {
                int w = 2 * layer, bias = 2 * layer + 1;
                for (int i = 0; i < b; i++)
                {
                    double forget = SymMath.Sigmoid(layerInput[i] * mainParams[w, i] + mainParams[bias, i]);
                    double ingate = SymMath.Sigmoid(hidden[layer, i] * mainParams[w, b + i] + mainParams[bias, b + i]);
                    double outgate = SymMath.Sigmoid(layerInput[i] * mainParams[w, 2 * b + i] + mainParams[bias, 2 * b + i]);
                    double change = Math.Tanh(hidden[layer, i] * mainParams[w, 3 * b + i] + mainParams[bias, 3 * b + i]);
                    cell[layer, i] = cell[layer, i] * forget + ingate * change;
                    hidden[layer, i] = outgate * Math.Tanh(cell[layer, i]);
                }
                // The next layer reads this one's new hidden state.
                for (int i = 0; i < b; i++) layerInput[i] = hidden[layer, i];
            }

            for (int i = 0; i < b; i++) ypred[i] = layerInput[i] * extraParams[1, i] + extraParams[2, i];

            double sumExp = 0;
            for (int i = 0; i < b; i++) sumExp += Math.Exp(ypred[i]);
            double lse = Math.Log(sumExp + 2);
            for (int i = 0; i < b; i++) total += sequence[t + 1, i] * (ypred[i] - lse);
        }
        return -total / ((c - 1) * b);
    }
}
