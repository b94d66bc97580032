using SeedNotebook.Pictures;

namespace SymGrad.Tests.Pictures;

public class TrainingTests
{
    [Fact]
    public void Value_tape_loss_at_the_notebook_weights_is_the_notebooks_loss()
    {
        var grad = new double[Net3441.ParameterCount];
        Assert.Equal(3.165349361996877, ValueTapeLoss.Evaluate(Net3441.ManualParameters(), grad), 1e-14);
    }

    [Fact]
    public void Value_tape_gradient_matches_central_differences()
    {
        // Away from the manual weights' dead h1 (a seeded random point) so most parameters matter.
        double[] p = Net3441.RandomParameters(3);
        var grad = new double[p.Length];
        ValueTapeLoss.Evaluate(p, grad);
        var scratch = new double[p.Length];
        const double h = 1e-6;
        for (int i = 0; i < p.Length; i++)
        {
            double[] plus = (double[])p.Clone(), minus = (double[])p.Clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (ValueTapeLoss.Evaluate(plus, scratch) - ValueTapeLoss.Evaluate(minus, scratch)) / (2 * h);
            Assert.True(Math.Abs(fd - grad[i]) <= 1e-5 * (1 + Math.Abs(fd)), $"parameter {i}: tape {grad[i]}, fd {fd}");
        }
    }

    [Fact]
    public void Sgd_follows_the_closed_form_on_a_quadratic()
    {
        // loss = Σ (p_i − c_i)², gradient 2(p − c): each step multiplies p − c by (1 − 2·lr) exactly.
        double[] c = [1.0, -2.0, 0.5];
        GradientFn quadratic = (ps, g) =>
        {
            double loss = 0;
            for (int i = 0; i < ps.Length; i++) { g[i] = 2 * (ps[i] - c[i]); loss += (ps[i] - c[i]) * (ps[i] - c[i]); }
            return loss;
        };
        var frames = SgdTraining.Run(quadratic, [0.0, 0.0, 0.0], learningRate: 0.1, steps: 10, recordEvery: 5);
        Assert.Equal([0, 5, 10], frames.Select(f => f.Step));
        for (int i = 0; i < c.Length; i++)
            Assert.Equal(c[i] - c[i] * Math.Pow(0.8, 10), frames[^1].Parameters[i], 1e-12);
        Assert.Equal(5.25 * Math.Pow(0.64, 10), frames[^1].Loss, 1e-12);
    }

    [Fact]
    public void The_pictures_training_run_fits_the_four_targets()
    {
        var frames = PicturesSection.Train(ValueTapeLoss.Gradient);
        Assert.Equal(3.165349361996877, frames[0].Loss, 1e-14);
        Assert.True(frames[^1].Loss < 1e-3, $"final loss {frames[^1].Loss}");
        for (int s = 0; s < Net3441.SampleCount; s++)
            Assert.Equal(Net3441.Target(s), Net3441.Predict(frames[^1].Parameters, Net3441.Input(s)), 0.02);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(
            () => SgdTraining.Run(ValueTapeLoss.Gradient, Net3441.ManualParameters(), 0, 1)).ParamName);
        Assert.Equal("grad", Assert.Throws<ArgumentException>(
            () => ValueTapeLoss.Evaluate(Net3441.ManualParameters(), new double[3])).ParamName);
    }
}
