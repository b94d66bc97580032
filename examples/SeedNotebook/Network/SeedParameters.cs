using SeedNotebook.Sections;

namespace SeedNotebook.Network;

/// <summary>The notebook's weights and data in the shapes <see cref="SeedNet"/> takes.</summary>
public sealed class SeedParameters
{
    public double[,] W1 { get; } = new double[SeedNet.Hidden, SeedNet.In];
    public double[] B1 { get; } = new double[SeedNet.Hidden];
    public double[,] W2 { get; } = new double[SeedNet.Hidden, SeedNet.Hidden];
    public double[] B2 { get; } = new double[SeedNet.Hidden];
    public double[] WOut { get; } = new double[SeedNet.Hidden];
    public double BOut { get; set; }

    /// <summary>The notebook's manual weights.</summary>
    public static SeedParameters Notebook()
    {
        var p = new SeedParameters { BOut = SeedData.BOut };
        double[][] w1 = SeedData.W1(), w2 = SeedData.W2();
        for (int i = 0; i < SeedNet.Hidden; i++)
        {
            for (int j = 0; j < SeedNet.In; j++) p.W1[i, j] = w1[i][j];
            for (int j = 0; j < SeedNet.Hidden; j++) p.W2[i, j] = w2[i][j];
        }
        SeedData.B1().CopyTo(p.B1, 0);
        SeedData.B2().CopyTo(p.B2, 0);
        SeedData.WOut().CopyTo(p.WOut, 0);
        return p;
    }

    /// <summary>The notebook's four inputs as a 4 x 3 matrix.</summary>
    public static double[,] Inputs()
    {
        double[][] x = SeedData.X();
        var xs = new double[x.Length, x[0].Length];
        for (int s = 0; s < x.Length; s++)
        {
            for (int j = 0; j < x[s].Length; j++) xs[s, j] = x[s][j];
        }
        return xs;
    }
}
