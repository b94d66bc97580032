namespace SeedNotebook.Pictures;

/// <summary>
/// The seed notebook's manual weights, inputs and targets (cells [3] and [5]), copied here until
/// <c>Sections/SeedData.cs</c> lands on the example; then this file should forward to it.
/// </summary>
internal static class NotebookNumbers
{
    public static readonly double[,] W1 =
    {
        { -0.7731, 0.1601, 0.4321 },
        { -0.0346, -0.2008, 0.3647 },
        { -0.7577, 0.4841, -0.0354 },
        { 0.1601, -0.2008, 0.4841 },
    };

    public static readonly double[] B1 = [-0.0132, 0.7161, -0.4399, 0.5371];

    public static readonly double[,] W2 =
    {
        { -0.4812, -0.3530, -0.4004, -0.0734 },
        { 0.7681, -0.3188, 0.5793, 0.9179 },
        { 0.1169, -0.2848, -0.4631, 0.1716 },
        { 0.8809, 0.6788, 0.2416, 0.3609 },
    };

    public static readonly double[] B2 = [0.1427, -0.7043, -0.8546, 0.4936];

    public static readonly double[] WOut = [-0.2537, -0.5915, -0.0293, -0.3593];

    public const double BOut = 0.3446;

    public static readonly double[,] X =
    {
        { 2.5, 3.0, -2.5 },
        { 4.0, -1.0, 0.5 },
        { 0.5, 1.5, 1.0 },
        { 3.0, 2.0, -2.0 },
    };

    public static readonly double[] Targets = [1.0, -1.0, 1.0, 1.0];
}
