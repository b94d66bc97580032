using SymGrad;

namespace SeedNotebook.Sections;

/// <summary>
/// The random-weights cell: its manual numpy backward pass written out in C# loops, beside the Value engine's
/// gradients of the same network. The cell draws its weights from an unseeded <c>np.random.randn</c>, so its printed
/// tables cannot be reproduced; we draw ours from a fixed seed instead.
/// </summary>
public static class Section3RandomWeights
{
    private const int Seed = 42;

    public static void Run()
    {
        Print.Section("3. The random-weights cell: manual backward pass vs the Value engine");
        double[][] x = SeedData.RandomCellX();
        double[] y = SeedData.RandomCellY();
        Console.WriteLine("That cell's own data, not section 1's: X = [[2.5, 3.5, -0.5], [4, -1, 0.5], [0.5, 1.5, 1],");
        Console.WriteLine("[3, 2, -1.5]], y = [1, -1, -1, 1]. Its weights came from an unseeded np.random.randn, so its");
        Console.WriteLine($"printed tables cannot be reproduced; ours are standard normal by Box-Muller from System.Random({Seed}),");
        Console.WriteLine("drawn in the cell's order W1 (3x4), b1, W2 (4x4), b2, W3 (4x1), b3, row by row.");
        Console.WriteLine("The cell's delta3 = y_pred - y is the gradient of 0.5 * sum((y_pred - y)^2), the loss the");
        Console.WriteLine("Value engine differentiates here.");
        Console.WriteLine();

        var normal = new Normals(new Random(Seed));
        double[][] w1 = normal.Matrix(3, 4), w2, w3;
        double[] b1 = normal.Vector(4), b2, b3;
        w2 = normal.Matrix(4, 4);
        b2 = normal.Vector(4);
        w3 = normal.Matrix(4, 1);
        b3 = normal.Vector(1);

        var manual = ManualBackward(x, y, w1, b1, w2, b2, w3, b3);
        var tape = TapeBackward(x, y, w1, b1, w2, b2, w3, b3);

        Print.SideBySide("dW3", "manual (numpy cell in C#)", manual.DW3, "Value engine", tape.DW3);
        Print.SideBySide("dW2", "manual (numpy cell in C#)", manual.DW2, "Value engine", tape.DW2);
        Print.SideBySide("dW1", "manual (numpy cell in C#)", manual.DW1, "Value engine", tape.DW1);
        double largest = new[]
        {
            Print.MaxAbsDiff(manual.DW3, tape.DW3), Print.MaxAbsDiff(manual.DW2, tape.DW2),
            Print.MaxAbsDiff(manual.DW1, tape.DW1),
        }.Max();
        Console.WriteLine($"  Largest |manual - Value engine| over dW3, dW2, dW1: {Print.E(largest)}");
    }

    /// <summary>The cell's forward and backward pass, loop for loop (Z1 = X.W1 + b1, ..., dW1 = X^T.delta1).</summary>
    private static (double[][] DW1, double[][] DW2, double[][] DW3) ManualBackward(
        double[][] x, double[] y, double[][] w1, double[] b1, double[][] w2, double[] b2, double[][] w3, double[] b3)
    {
        double[][] z1 = Affine(x, w1, b1), a1 = Relu(z1);
        double[][] z2 = Affine(a1, w2, b2), a2 = Relu(z2);
        double[][] z3 = Affine(a2, w3, b3);

        double[][] delta3 = Map(z3, (v, n, _) => v - y[n]);                 // y_pred - y.reshape(-1, 1)
        double[][] dW3 = TransposeTimes(a2, delta3);                        // A2.T.dot(delta3)
        double[][] delta2 = Map(TimesTranspose(delta3, w3), (v, n, k) => z2[n][k] > 0 ? v : 0.0);
        double[][] dW2 = TransposeTimes(a1, delta2);                        // A1.T.dot(delta2)
        double[][] delta1 = Map(TimesTranspose(delta2, w2), (v, n, k) => z1[n][k] > 0 ? v : 0.0);
        double[][] dW1 = TransposeTimes(x, delta1);                         // X.T.dot(delta1)
        return (dW1, dW2, dW3);
    }

    /// <summary>The same network and loss, 0.5 * sum((Z3 - y)^2), built on the tape and differentiated by it.</summary>
    private static (double[][] DW1, double[][] DW2, double[][] DW3) TapeBackward(
        double[][] x, double[] y, double[][] w1, double[] b1, double[][] w2, double[] b2, double[][] w3, double[] b3)
    {
        Value[][] vw1 = Leaves(w1), vw2 = Leaves(w2), vw3 = Leaves(w3);
        Value[] vb1 = Array.ConvertAll(b1, v => new Value(v)), vb2 = Array.ConvertAll(b2, v => new Value(v));
        Value[] vb3 = Array.ConvertAll(b3, v => new Value(v));

        Value loss = new(0);
        for (int n = 0; n < x.Length; n++)
        {
            Value[] a1 = Layer(Array.ConvertAll(x[n], v => new Value(v)), vw1, vb1, relu: true);
            Value[] a2 = Layer(a1, vw2, vb2, relu: true);
            Value z3 = Layer(a2, vw3, vb3, relu: false)[0];
            loss += 0.5 * (z3 - y[n]).Pow(2);
        }
        loss.Backward();
        return (NotebookNet.Grads(vw1), NotebookNet.Grads(vw2), NotebookNet.Grads(vw3));
    }

    // Row-vector convention of the cell: out[k] = sum_j in[j] * w[j][k] + b[k].
    private static Value[] Layer(Value[] input, Value[][] w, Value[] b, bool relu)
    {
        var output = new Value[b.Length];
        for (int k = 0; k < b.Length; k++)
        {
            Value z = b[k];
            for (int j = 0; j < input.Length; j++) z += input[j] * w[j][k];
            output[k] = relu ? z.Relu() : z;
        }
        return output;
    }

    private static Value[][] Leaves(double[][] a) => Array.ConvertAll(a, r => Array.ConvertAll(r, v => new Value(v)));

    private static double[][] Affine(double[][] a, double[][] w, double[] b) =>
        Map(Times(a, w), (v, _, k) => v + b[k]);

    private static double[][] Relu(double[][] z) => Map(z, (v, _, _) => Math.Max(0.0, v));

    private static double[][] Map(double[][] m, Func<double, int, int, double> f)
    {
        var r = new double[m.Length][];
        for (int i = 0; i < m.Length; i++)
        {
            r[i] = new double[m[i].Length];
            for (int j = 0; j < m[i].Length; j++) r[i][j] = f(m[i][j], i, j);
        }
        return r;
    }

    // a (n x m) . b (m x p)
    private static double[][] Times(double[][] a, double[][] b) => Product(a.Length, b[0].Length, b.Length, (i, k, j) => a[i][k] * b[k][j]);

    // a^T . b, with a (m x n) and b (m x p)
    private static double[][] TransposeTimes(double[][] a, double[][] b) => Product(a[0].Length, b[0].Length, a.Length, (i, k, j) => a[k][i] * b[k][j]);

    // a . b^T, with a (n x m) and b (p x m)
    private static double[][] TimesTranspose(double[][] a, double[][] b) => Product(a.Length, b.Length, a[0].Length, (i, k, j) => a[i][k] * b[j][k]);

    private static double[][] Product(int rows, int cols, int inner, Func<int, int, int, double> term)
    {
        var r = new double[rows][];
        for (int i = 0; i < rows; i++)
        {
            r[i] = new double[cols];
            for (int j = 0; j < cols; j++)
            {
                double s = 0.0;
                for (int k = 0; k < inner; k++) s += term(i, k, j);
                r[i][j] = s;
            }
        }
        return r;
    }

    /// <summary>Standard normal numbers by the Box-Muller transform, both of each pair used in turn.</summary>
    private sealed class Normals(Random random)
    {
        private double? _spare;

        public double Next()
        {
            if (_spare is double s)
            {
                _spare = null;
                return s;
            }
            double u1 = 1.0 - random.NextDouble(); // in (0, 1], so the log is finite
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            _spare = radius * Math.Sin(2.0 * Math.PI * u2);
            return radius * Math.Cos(2.0 * Math.PI * u2);
        }

        public double[] Vector(int n)
        {
            var v = new double[n];
            for (int i = 0; i < n; i++) v[i] = Next();
            return v;
        }

        public double[][] Matrix(int rows, int cols)
        {
            var m = new double[rows][];
            for (int i = 0; i < rows; i++) m[i] = Vector(cols);
            return m;
        }
    }
}
