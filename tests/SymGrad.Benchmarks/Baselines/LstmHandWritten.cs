using SymGrad;

namespace SymGrad.Benchmarks.Baselines;

/// <summary>
/// The careful hand-written primal and backward pass through time of case (h), ADBench's LSTM objective: the
/// forward sweep keeps, per step and layer, what the backward sweep reads (the layer's input, the previous hidden
/// and cell state, the four gates, tanh of the new cell), in one buffer preallocated in this object with the
/// state, the output's exponentials and the adjoint rows (so no allocation per call; one object per thread); the
/// backward sweep runs the steps in reverse, carrying the hidden and cell adjoints from step to step. Row-major
/// spans (<see cref="Flat"/>) over the 2-D arrays; a layer's input is the layer below's hidden row itself, as
/// ADBench's pointer. Operations in the order of <c>Lstm.Objective</c>, so the value agrees with the primal to the
/// bit; the derivatives of sigmoid and tanh are the tape's, <c>s (1 - s)</c> and <c>1 - t^2</c>.
/// Same contract as the generated <c>ObjectiveGradient</c>: returns the loss, overwrites the gradient buffers.
/// </summary>
internal sealed class LstmHandWritten
{
    // What a step keeps per layer, b values each, in this order.
    private const int Input = 0, HiddenPrev = 1, CellPrev = 2, Forget = 3, Ingate = 4, Outgate = 5, Change = 6, TanhCell = 7;
    private const int Slots = 8;

    private readonly int _layers, _b, _steps;
    private readonly double[] _saved;  // [steps, layers, Slots, b]
    private readonly double[] _exps;   // [steps, b] exp of the prediction
    private readonly double[] _sums;   // [steps] the sum of those exponentials
    private readonly double[] _hidden; // [layers, b] the running state
    private readonly double[] _cell;   // [layers, b]
    private readonly double[] _input;  // [b] the first layer's input, sequence[t] times the input weights
    private readonly double[] _y;      // [b] the prediction
    private readonly double[] _dh;     // [layers, b] adjoint of the hidden state carried back from the next step
    private readonly double[] _dc;     // [layers, b] adjoint of the cell state carried back from the next step
    private readonly double[] _dOut;   // [b] adjoint of the output of the layer being differentiated
    private readonly double[] _dIn;    // [b] adjoint of its input, the output of the layer below

    public LstmHandWritten(int layers, int b, int characters)
    {
        _layers = layers;
        _b = b;
        _steps = characters - 1;
        _saved = new double[_steps * layers * Slots * b];
        _exps = new double[_steps * b];
        _sums = new double[_steps];
        _hidden = new double[layers * b];
        _cell = new double[layers * b];
        _input = new double[b];
        _y = new double[b];
        _dh = new double[layers * b];
        _dc = new double[layers * b];
        _dOut = new double[b];
        _dIn = new double[b];
    }

    public double Objective(double[,] mainParams, double[,] extraParams, double[,] state, double[,] sequence) =>
        Forward(mainParams, extraParams, state, sequence, save: false);

    public double ObjectiveGradient(double[,] mainParams, double[,] extraParams, double[,] state, double[,] sequence,
                                    double[,] dMainParams, double[,] dExtraParams)
    {
        double loss = Forward(mainParams, extraParams, state, sequence, save: true);
        if (dMainParams.GetLength(0) != mainParams.GetLength(0) || dMainParams.GetLength(1) != mainParams.GetLength(1))
            throw new ArgumentException("shape differs from mainParams", nameof(dMainParams));
        if (dExtraParams.GetLength(0) != 3 || dExtraParams.GetLength(1) != _b)
            throw new ArgumentException("shape differs from extraParams", nameof(dExtraParams));

        int b = _b, b4 = 4 * b;
        ReadOnlySpan<double> fmain = Flat.Of(mainParams), fextra = Flat.Of(extraParams), fseq = Flat.Of(sequence);
        Span<double> gmain = Flat.Of(dMainParams), gextra = Flat.Of(dExtraParams);
        Flat.Zero(gmain); Flat.Zero(gextra);
        ReadOnlySpan<double> outWeight = fextra.Slice(b, b);
        Span<double> gInWeight = gextra[..b], gOutWeight = gextra.Slice(b, b), gOutBias = gextra.Slice(2 * b, b);
        Span<double> dh = _dh, dc = _dc;
        Flat.Zero(dh); Flat.Zero(dc);
        Span<double> dOut = _dOut, dIn = _dIn;

        // d loss / d total, total = sum_t sum_i gold_i (y_i - lse(y)).
        double g = -1.0 / (_steps * b);
        for (int t = _steps - 1; t >= 0; t--)
        {
            // The output layer: d total / d y_i = gold_i - (sum gold) exp(y_i) / (sum exp(y) + 2).
            ReadOnlySpan<double> gold = fseq.Slice((t + 1) * b, b), exps = _exps.AsSpan(t * b, b);
            double goldSum = 0;
            for (int i = 0; i < gold.Length; i++) goldSum += gold[i];
            double scale = g * goldSum / (_sums[t] + 2);
            ReadOnlySpan<double> top = Block(t, _layers - 1);
            for (int i = 0; i < dOut.Length; i++)
            {
                double dy = g * gold[i] - scale * exps[i];
                gOutBias[i] += dy;
                gOutWeight[i] += dy * (top[Outgate * b + i] * top[TanhCell * b + i]); // the top hidden state, recomputed
                dOut[i] = dy * outWeight[i];
            }

            for (int layer = _layers - 1; layer >= 0; layer--)
            {
                ReadOnlySpan<double> s = Block(t, layer);
                ReadOnlySpan<double> w = fmain.Slice(2 * layer * b4, b4);
                Span<double> gw = gmain.Slice(2 * layer * b4, b4), gbias = gmain.Slice((2 * layer + 1) * b4, b4);
                Span<double> dhLayer = dh.Slice(layer * b, b), dcLayer = dc.Slice(layer * b, b);
                for (int i = 0; i < b; i++)
                {
                    double forget = s[Forget * b + i], ingate = s[Ingate * b + i], outgate = s[Outgate * b + i];
                    double change = s[Change * b + i], tanhCell = s[TanhCell * b + i];
                    double input = s[Input * b + i], hiddenPrev = s[HiddenPrev * b + i];

                    // hidden = outgate tanh(cell), cell = cellPrev forget + ingate change.
                    double dHidden = dOut[i] + dhLayer[i];
                    double dCell = dcLayer[i] + dHidden * outgate * (1.0 - tanhCell * tanhCell);
                    double dzForget = dCell * s[CellPrev * b + i] * (forget * (1.0 - forget));
                    double dzIngate = dCell * change * (ingate * (1.0 - ingate));
                    double dzOutgate = dHidden * tanhCell * (outgate * (1.0 - outgate));
                    double dzChange = dCell * ingate * (1.0 - change * change);
                    dcLayer[i] = dCell * forget;

                    // The gates' pre-activations: forget and outgate read the input, ingate and change the previous hidden.
                    gw[i] += dzForget * input;              gbias[i] += dzForget;
                    gw[b + i] += dzIngate * hiddenPrev;     gbias[b + i] += dzIngate;
                    gw[2 * b + i] += dzOutgate * input;     gbias[2 * b + i] += dzOutgate;
                    gw[3 * b + i] += dzChange * hiddenPrev; gbias[3 * b + i] += dzChange;
                    dIn[i] = dzForget * w[i] + dzOutgate * w[2 * b + i];
                    dhLayer[i] = dzIngate * w[b + i] + dzChange * w[3 * b + i];
                }
                dIn.CopyTo(dOut); // the layer below's output feeds this one
            }

            // The first layer's input is sequence[t] times the input weights.
            ReadOnlySpan<double> chars = fseq.Slice(t * b, b);
            for (int i = 0; i < gInWeight.Length; i++) gInWeight[i] += dOut[i] * chars[i];
        }
        return loss;
    }

    /// <summary>The loss; with <paramref name="save"/>, keeps what the backward sweep reads.</summary>
    private double Forward(double[,] mainParams, double[,] extraParams, double[,] state, double[,] sequence, bool save)
    {
        int b = _b, b4 = 4 * b;
        if (state.GetLength(0) != 2 * _layers || state.GetLength(1) != b) throw new ArgumentException("state must be 2l x b", nameof(state));
        if (mainParams.GetLength(0) != 2 * _layers || mainParams.GetLength(1) != b4) throw new ArgumentException("mainParams must be 2l x 4b", nameof(mainParams));
        if (extraParams.GetLength(0) != 3 || extraParams.GetLength(1) != b) throw new ArgumentException("extraParams must be 3 x b", nameof(extraParams));
        if (sequence.GetLength(0) != _steps + 1 || sequence.GetLength(1) != b) throw new ArgumentException("sequence must be c x b", nameof(sequence));

        ReadOnlySpan<double> fmain = Flat.Of(mainParams), fextra = Flat.Of(extraParams), fseq = Flat.Of(sequence), fstate = Flat.Of(state);
        ReadOnlySpan<double> inWeight = fextra[..b], outWeight = fextra.Slice(b, b), outBias = fextra.Slice(2 * b, b);
        Span<double> hidden = _hidden, cell = _cell, first = _input, y = _y;
        for (int layer = 0; layer < _layers; layer++)
        {
            fstate.Slice(2 * layer * b, b).CopyTo(hidden.Slice(layer * b, b));
            fstate.Slice((2 * layer + 1) * b, b).CopyTo(cell.Slice(layer * b, b));
        }

        double total = 0;
        for (int t = 0; t < _steps; t++)
        {
            ReadOnlySpan<double> chars = fseq.Slice(t * b, b);
            for (int i = 0; i < first.Length; i++) first[i] = chars[i] * inWeight[i];

            ReadOnlySpan<double> input = first;
            for (int layer = 0; layer < _layers; layer++)
            {
                ReadOnlySpan<double> w = fmain.Slice(2 * layer * b4, b4), bias = fmain.Slice((2 * layer + 1) * b4, b4);
                Span<double> h = hidden.Slice(layer * b, b), c = cell.Slice(layer * b, b);
                Span<double> s = save ? Block(t, layer) : default;
                for (int i = 0; i < b; i++)
                {
                    double x = input[i], hiddenPrev = h[i], cellPrev = c[i];
                    double forget = SymMath.Sigmoid(x * w[i] + bias[i]);
                    double ingate = SymMath.Sigmoid(hiddenPrev * w[b + i] + bias[b + i]);
                    double outgate = SymMath.Sigmoid(x * w[2 * b + i] + bias[2 * b + i]);
                    double change = Math.Tanh(hiddenPrev * w[3 * b + i] + bias[3 * b + i]);
                    double cellNew = cellPrev * forget + ingate * change;
                    double tanhCell = Math.Tanh(cellNew);
                    c[i] = cellNew;
                    h[i] = outgate * tanhCell;
                    if (save)
                    {
                        s[Input * b + i] = x; s[HiddenPrev * b + i] = hiddenPrev; s[CellPrev * b + i] = cellPrev;
                        s[Forget * b + i] = forget; s[Ingate * b + i] = ingate; s[Outgate * b + i] = outgate;
                        s[Change * b + i] = change; s[TanhCell * b + i] = tanhCell;
                    }
                }
                input = h;
            }

            // The prediction, ADBench's log(sum exp(y) + 2), and the next character's bits as the gold.
            Span<double> exps = _exps.AsSpan(t * b, b);
            ReadOnlySpan<double> gold = fseq.Slice((t + 1) * b, b);
            for (int i = 0; i < y.Length; i++) y[i] = input[i] * outWeight[i] + outBias[i];
            double sumExp = 0;
            for (int i = 0; i < y.Length; i++) sumExp += exps[i] = Math.Exp(y[i]);
            _sums[t] = sumExp;
            double lse = Math.Log(sumExp + 2);
            for (int i = 0; i < y.Length; i++) total += gold[i] * (y[i] - lse);
        }
        return -total / (_steps * b);
    }

    private Span<double> Block(int t, int layer) => _saved.AsSpan((t * _layers + layer) * Slots * _b, Slots * _b);
}
