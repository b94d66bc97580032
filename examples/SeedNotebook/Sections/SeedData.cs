namespace SeedNotebook.Sections;

/// <summary>
/// The seed notebook's numbers, copied from its text: the 3-4-4-1 network's weights, inputs and targets (cells
/// [2]-[6]), the tables it printed, and the data of its random-weights cell. Every method returns a fresh copy, so
/// a caller may change what it gets without touching anyone else's.
/// </summary>
public static class SeedData
{
    /// <summary>First layer weights, 4 neurons x 3 inputs (row i feeds neuron i).</summary>
    public static double[][] W1() => Copy(
    [
        [-0.7731, 0.1601, 0.4321],
        [-0.0346, -0.2008, 0.3647],
        [-0.7577, 0.4841, -0.0354],
        [0.1601, -0.2008, 0.4841],
    ]);

    /// <summary>First layer biases.</summary>
    public static double[] B1() => [-0.0132, 0.7161, -0.4399, 0.5371];

    /// <summary>Second layer weights, 4 x 4.</summary>
    public static double[][] W2() => Copy(
    [
        [-0.4812, -0.3530, -0.4004, -0.0734],
        [0.7681, -0.3188, 0.5793, 0.9179],
        [0.1169, -0.2848, -0.4631, 0.1716],
        [0.8809, 0.6788, 0.2416, 0.3609],
    ]);

    /// <summary>Second layer biases.</summary>
    public static double[] B2() => [0.1427, -0.7043, -0.8546, 0.4936];

    /// <summary>Output weights, one per second-layer neuron.</summary>
    public static double[] WOut() => [-0.2537, -0.5915, -0.0293, -0.3593];

    /// <summary>Output bias.</summary>
    public const double BOut = 0.3446;

    /// <summary>The four inputs <c>X_s</c>, 3 features each.</summary>
    public static double[][] X() => Copy([[2.5, 3.0, -2.5], [4.0, -1.0, 0.5], [0.5, 1.5, 1.0], [3.0, 2.0, -2.0]]);

    /// <summary>The targets <c>y_s</c>.</summary>
    public static double[] Targets() => [1.0, -1.0, 1.0, 1.0];

    /// <summary>Cell [4]'s printed predictions.</summary>
    public static double[] PrintedPredictions() =>
        [0.13104653000000002, -0.5591761382710001, -0.20866182982549997, 0.13104653000000002];

    /// <summary>Cell [5]'s printed loss (sum of squared errors).</summary>
    public const double PrintedLoss = 3.165349361996877;

    /// <summary>Cell [6]'s printed PyTorch loss (float32, broadcast over 16 pairs).</summary>
    public const double PrintedTorchLoss = 1.2240772247314453;

    /// <summary>Cell [6]'s printed gradient tables (float32, four decimals), by the names it printed them under,
    /// in its order. Vectors are one-row tables.</summary>
    public static IReadOnlyList<(string Name, double[][] Table)> PrintedTorchGradients() =>
    [
        ("W1", Copy([[0.0561, 0.1682, 0.1121], [0.1604, 0.1003, 0.1011], [0.0000, 0.0000, 0.0000], [1.4478, -0.2873, 0.2240]])),
        ("W2", Copy([[0.0000, 0.0000, 0.0000, 0.0000], [0.0000, 0.3010, 0.0000, 0.5076],
                     [0.0000, 0.0000, 0.0000, 0.0000], [0.0347, 0.2799, 0.0000, 0.4102]])),
        ("W_out", Copy([[-0.0526, -0.2525, 0.0000, -1.6442]])),
        ("b1", Copy([[0.1121, 0.1157, 0.0000, 0.4022]])),
        ("b2", Copy([[0.0936, 0.3133, 0.0000, 0.4502]])),
        ("b_out", Copy([[-1.2529]])),
        ("X", Copy([[0.0000, 0.0000, 0.0000], [0.0560, -0.0774, 0.1831], [-0.0823, -0.0086, 0.1022], [0.0000, 0.0000, 0.0000]])),
    ];

    /// <summary>The random-weights cell's inputs: not section 1's (rows 1 and 4 differ).</summary>
    public static double[][] RandomCellX() =>
        Copy([[2.5, 3.5, -0.5], [4.0, -1.0, 0.5], [0.5, 1.5, 1.0], [3.0, 2.0, -1.5]]);

    /// <summary>The random-weights cell's targets: not section 1's (the third is -1).</summary>
    public static double[] RandomCellY() => [1.0, -1.0, -1.0, 1.0];

    private static double[][] Copy(double[][] rows) => Array.ConvertAll(rows, r => (double[])r.Clone());
}
