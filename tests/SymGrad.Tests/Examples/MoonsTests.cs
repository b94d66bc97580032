using Moons;

namespace SymGrad.Tests.Examples;

/// <summary>
/// examples/Moons, micrograd's demo: scikit-learn's make_moons against the closed form of its two half circles, the
/// generated gradient of the loss against the tape twin and central finite differences, and the training's result.
/// Everything is seeded, so every run checks the same numbers.
/// </summary>
public class MoonsTests
{
    private static readonly MoonsData Data = MoonsData.Make(100, 0.1, Moons.Program.DataSeed);

    [Fact]
    public void Make_moons_has_one_row_of_two_coordinates_per_sample_and_half_of_each_label()
    {
        foreach (int n in new[] { 100, 7, 2 })
        {
            MoonsData d = MoonsData.Make(n, 0.1, seed: 5);
            Assert.Equal(n, d.Xs.GetLength(0));
            Assert.Equal(2, d.Xs.GetLength(1));
            Assert.Equal(n, d.Ys.Length);
            Assert.Equal(n / 2, d.Moon.Count(m => m == 0)); // n_out = n / 2, as scikit-learn
            Assert.Equal(n - n / 2, d.Moon.Count(m => m == 1));
            for (int s = 0; s < n; s++) Assert.Equal(d.Moon[s] * 2.0 - 1.0, d.Ys[s]); // micrograd's y*2 - 1
        }
        Assert.Equal(50, Data.Ys.Count(y => y == -1.0));
        Assert.Equal(50, Data.Ys.Count(y => y == 1.0));
    }

    [Fact]
    public void Without_noise_the_points_are_linspace_on_the_two_half_circles()
    {
        MoonsData d = MoonsData.Make(100, noise: 0, seed: 1, shuffle: false);
        for (int i = 0; i < 50; i++)
        {
            double t = Math.PI * i / 49;
            // outer: (cos t, sin t); inner: (1 - cos t, 1 - sin t - 0.5)
            Assert.Equal(0, d.Moon[i]);
            Assert.Equal(Math.Cos(t), d.Xs[i, 0], 1e-15);
            Assert.Equal(Math.Sin(t), d.Xs[i, 1], 1e-15);
            Assert.Equal(1, d.Moon[50 + i]);
            Assert.Equal(1 - Math.Cos(t), d.Xs[50 + i, 0], 1e-15);
            Assert.Equal(0.5 - Math.Sin(t), d.Xs[50 + i, 1], 1e-15);
        }
        // Shuffled, the same points in another order.
        MoonsData shuffled = MoonsData.Make(100, noise: 0, seed: 1);
        Assert.NotEqual(Enumerable.Range(0, 100).Select(s => shuffled.Xs[s, 0]), Enumerable.Range(0, 100).Select(s => d.Xs[s, 0]));
        Assert.Equal(Points(d).Order(), Points(shuffled).Order());
    }

    [Fact]
    public void With_noise_every_point_lies_near_its_half_circle_and_the_noise_has_the_asked_deviation()
    {
        double sumAbs = 0;
        for (int s = 0; s < Data.Count; s++)
        {
            // Outer moon: the unit circle about (0, 0), upper half; inner: the unit circle about (1, 0.5), lower half.
            (double cx, double cy, double side) = Data.Moon[s] == 0 ? (0.0, 0.0, 1.0) : (1.0, 0.5, -1.0);
            double dx = Data.Xs[s, 0] - cx, dy = Data.Xs[s, 1] - cy;
            double radius = Math.Sqrt(dx * dx + dy * dy);
            Assert.InRange(radius, 0.6, 1.4);
            Assert.True(side * dy > -0.4, $"sample {s} is {dy} from its moon's diameter, on the wrong side");
            sumAbs += Math.Abs(radius - 1);
        }
        // |N(0, 0.1²)| has mean 0.1·sqrt(2/π) = 0.080 along the radius.
        Assert.InRange(sumAbs / Data.Count, 0.06, 0.10);

        // The same seed without noise draws the same shuffle first, so the difference is the noise alone.
        MoonsData clean = MoonsData.Make(100, noise: 0, seed: Moons.Program.DataSeed);
        double[] noise = Enumerable.Range(0, 200).Select(i => Data.Xs[i / 2, i % 2] - clean.Xs[i / 2, i % 2]).ToArray();
        double mean = noise.Average(), std = Math.Sqrt(noise.Sum(e => (e - mean) * (e - mean)) / (noise.Length - 1));
        Assert.InRange(mean, -0.025, 0.025);   // 3.5 standard errors of 0.1 / sqrt(200)
        Assert.InRange(std, 0.085, 0.115);     // 3 standard errors of 0.1 / sqrt(400)
        Assert.Equal(clean.Moon, Data.Moon);
    }

    [Fact]
    public void The_seeded_generator_draws_uniform_and_normal_numbers()
    {
        var rng = new SplitMix64(42);
        double[] u = Enumerable.Range(0, 20000).Select(_ => rng.Uniform(-1, 1)).ToArray();
        Assert.All(u, x => Assert.InRange(x, -1, 1 - 1e-16));
        Assert.InRange(u.Average(), -0.02, 0.02);
        Assert.InRange(u.Select(x => x * x).Average(), 1 / 3.0 - 0.015, 1 / 3.0 + 0.015);
        double[] z = Enumerable.Range(0, 20000).Select(_ => rng.Normal()).ToArray();
        Assert.InRange(z.Average(), -0.03, 0.03);
        Assert.InRange(z.Select(x => x * x).Average(), 0.96, 1.04);
        // SplitMix64's published first output for seed 0.
        Assert.Equal(0xE220A8397B1DCDAFUL, new SplitMix64(0).NextUInt64());
    }

    [Fact]
    public void The_loss_is_the_mean_margin_loss_of_the_scores_plus_the_L2_term()
    {
        MoonsModel m = MoonsModel.Micrograd(Moons.Program.InitSeed, uniformBiases: true);
        double margin = 0;
        for (int s = 0; s < Data.Count; s++) margin += Math.Max(0, 1 - Data.Ys[s] * m.Score(Data.Xs[s, 0], Data.Xs[s, 1]));
        double expected = margin / Data.Count + 1e-4 * m.Flatten().Sum(p => p * p);
        Assert.Equal(expected, Loss(m), 1e-13);
        Assert.Equal(337, m.ParameterCount);
    }

    [Theory]
    [InlineData(false)] // micrograd's initialisation: biases 0
    [InlineData(true)]  // biases uniform(-1, 1) too
    public void The_generated_gradient_equals_the_tape_twin_micrograds_code_and_central_differences_at_the_initial_weights(bool uniformBiases)
    {
        MoonsModel m = MoonsModel.Micrograd(Moons.Program.InitSeed, uniformBiases: uniformBiases);
        var generated = new MoonsModel(2, 16, 16);
        var tape = new MoonsModel(2, 16, 16);
        Fill(generated, double.NaN); // the generated gradient writes every element: no need to zero
        double loss = Training.GeneratedLoss(m, Data, generated);
        double tapeLoss = Training.TapeLoss(m, Data, tape);
        Assert.Equal(Loss(m), loss);   // the gradient returns the method's own value, bit for bit
        Assert.Equal(tapeLoss, loss);

        var micrograd = new MoonsModel(2, 16, 16);
        double microgradLoss = new MicrogradLoss().Evaluate(m, Data, micrograd);
        Assert.Equal(microgradLoss, loss, 1e-14);

        double[] g = generated.Flatten(), t = tape.Flatten(), p = m.Flatten(), mg = micrograd.Flatten();
        Assert.Equal(337, g.Length);
        int nonzero = 0;
        var probe = m.Clone();
        for (int i = 0; i < p.Length; i++)
        {
            Assert.True(Math.Abs(g[i] - t[i]) <= 1e-12 * Math.Max(1, Math.Abs(t[i])), $"parameter {i}: generated {g[i]:R}, tape {t[i]:R}");
            Assert.True(Math.Abs(g[i] - mg[i]) <= 1e-12 * Math.Max(1, Math.Abs(mg[i])), $"parameter {i}: generated {g[i]:R}, micrograd's code {mg[i]:R}");
            double h = 1e-6 * Math.Max(1, Math.Abs(p[i]));
            double[] q = (double[])p.Clone();
            q[i] = p[i] + h;
            probe.Load(q);
            double up = Loss(probe);
            q[i] = p[i] - h;
            probe.Load(q);
            double down = Loss(probe);
            double fd = (up - down) / (2 * h);
            Assert.True(Math.Abs(g[i] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"parameter {i}: generated {g[i]:R}, finite differences {fd:R}");
            if (g[i] != 0) nonzero++;
        }
        // Dead units have zero gradients; most parameters must still matter, or the comparison says little.
        Assert.True(nonzero > 200, $"only {nonzero} of 337 derivatives are nonzero");
    }

    [Fact]
    public void A_hundred_steps_of_the_demo_training_separate_the_moons()
    {
        MoonsModel m = MoonsModel.Micrograd(Moons.Program.InitSeed);
        List<StepRecord> steps = Training.Run(m, Data, Training.GeneratedLoss);
        Assert.Equal(100, steps.Count);
        Assert.Equal(0.5, steps[0].Accuracy);      // the untrained net: chance
        Assert.True(m.Accuracy(Data.Xs, Data.Ys) >= 0.95, $"accuracy {m.Accuracy(Data.Xs, Data.Ys)}");
        Assert.Equal(1.0, m.Accuracy(Data.Xs, Data.Ys)); // what this seed reaches (micrograd's demo too)
        double final = Loss(m);
        Assert.True(final < 0.05, $"final loss {final}");
        Assert.True(final < steps[0].Loss / 20, $"the loss fell only from {steps[0].Loss} to {final}");
    }

    [Fact]
    public void Training_on_the_tape_gives_the_same_losses()
    {
        const int steps = 15;
        MoonsModel a = MoonsModel.Micrograd(Moons.Program.InitSeed), b = a.Clone();
        List<StepRecord> generated = Training.Run(a, Data, Training.GeneratedLoss, steps);
        List<StepRecord> tape = Training.Run(b, Data, Training.TapeLoss, steps);
        for (int k = 0; k < steps; k++)
        {
            Assert.True(Math.Abs(generated[k].Loss - tape[k].Loss) <= 1e-12 * tape[k].Loss, $"step {k}: {generated[k].Loss:R} vs {tape[k].Loss:R}");
            Assert.Equal(tape[k].Accuracy, generated[k].Accuracy);
        }
        double[] pa = a.Flatten(), pb = b.Flatten();
        for (int i = 0; i < pa.Length; i++) Assert.True(Math.Abs(pa[i] - pb[i]) <= 1e-11 * Math.Max(1, Math.Abs(pb[i])), $"parameter {i}");
    }

    [Fact]
    public void The_score_grid_spans_the_data_plus_one_and_its_sign_classifies_the_samples()
    {
        MoonsModel m = MoonsModel.Micrograd(Moons.Program.InitSeed);
        Training.Run(m, Data, Training.GeneratedLoss);
        (double[,] scores, ScottPlot.CoordinateRect extent) = MoonsPlots.ScoreGrid(m, Data.Xs, 0.05);
        double xMin = Enumerable.Range(0, 100).Min(s => Data.Xs[s, 0]), xMax = Enumerable.Range(0, 100).Max(s => Data.Xs[s, 0]);
        double yMin = Enumerable.Range(0, 100).Min(s => Data.Xs[s, 1]), yMax = Enumerable.Range(0, 100).Max(s => Data.Xs[s, 1]);
        Assert.Equal(xMin - 1, extent.Left, 1e-12);
        Assert.Equal(yMin - 1, extent.Bottom, 1e-12);
        Assert.InRange(extent.Right - (xMax + 1), 0, 0.05);
        Assert.InRange(extent.Top - (yMax + 1), 0, 0.05);
        Assert.Equal((int)Math.Ceiling((yMax - yMin + 2) / 0.05), scores.GetLength(0));
        // The grid cell holding each sample has the sample's sign wherever the sample's margin is clear.
        int agree = 0, clear = 0;
        for (int s = 0; s < 100; s++)
        {
            double score = m.Score(Data.Xs[s, 0], Data.Xs[s, 1]);
            if (Math.Abs(score) < 0.5) continue;
            clear++;
            int c = (int)((Data.Xs[s, 0] - extent.Left) / 0.05), r = scores.GetLength(0) - 1 - (int)((Data.Xs[s, 1] - extent.Bottom) / 0.05);
            if (Math.Sign(scores[r, c]) == Math.Sign(Data.Ys[s])) agree++;
        }
        Assert.True(clear > 80 && agree >= clear - 2, $"{agree} of {clear} clear samples agree with their grid cell");
    }

    [Fact]
    public void The_pictures_are_written_as_png_and_svg()
    {
        string dir = Directory.CreateTempSubdirectory("symgrad-moons-").FullName;
        try
        {
            MoonsModel m = MoonsModel.Micrograd(Moons.Program.InitSeed);
            List<StepRecord> steps = Training.Run(m, Data, Training.GeneratedLoss, 20);
            string[] files =
            [
                .. PlotFiles.SavePngAndSvg(MoonsPlots.DecisionBoundary(m, Data, 0.05, "boundary"), dir, "boundary", 400, 300),
                .. PlotFiles.SavePngAndSvg(MoonsPlots.Curves(steps, "curves"), dir, "curves", 400, 300),
            ];
            Assert.Equal(4, files.Length);
            foreach (string f in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(f)[..4]);
            foreach (string f in files.Where(f => f.EndsWith(".svg", StringComparison.Ordinal)))
                Assert.Equal("svg", System.Xml.Linq.XDocument.Load(f).Root!.Name.LocalName);
            // The heatmap is embedded in the SVG as a bitmap.
            Assert.Contains("<image", File.ReadAllText(Path.Combine(dir, "boundary.svg")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Loss(MoonsModel m) =>
        MoonsNet.Loss(m.W1, m.B1, m.W2, m.B2, m.W3, m.B3, Data.Xs, Data.Ys);

    private static IEnumerable<(double, double)> Points(MoonsData d) =>
        Enumerable.Range(0, d.Count).Select(s => (d.Xs[s, 0], d.Xs[s, 1]));

    private static void Fill(MoonsModel m, double value)
    {
        m.Load(Enumerable.Repeat(value, m.ParameterCount).ToArray());
    }
}
