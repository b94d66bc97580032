using System.IO.Compression;
using FashionMnist;

namespace SymGrad.Tests.Examples;

/// <summary>
/// examples/FashionMnist: the IDX reader on a file written here and on Debian's files, the generated gradient of the
/// MLP's loss against the <see cref="Value"/> tape and central finite differences, the parallel gradient against one
/// call, and one short training. The tests that read the data set skip where dataset-fashion-mnist is not installed.
/// </summary>
public class FashionMnistTests
{
    private const string NoData = "Fashion-MNIST is not installed: `apt-get install " + FashionData.DebianPackage +
                                  "` puts it under " + FashionData.DefaultFolder + " (.ci/run installs it)";

    private static bool DataPresent => FashionData.IsPresent(FashionData.DefaultFolder);

    [Fact]
    public void The_reader_reads_an_IDX_file_written_here_gzipped_or_plain_and_refuses_another_magic()
    {
        string dir = Directory.CreateTempSubdirectory("symgrad-idx").FullName;
        try
        {
            // 3 images of 2 x 4: header 00 00 08 03, 3, 2, 4 (big-endian), then 24 bytes.
            byte[] body = Enumerable.Range(0, 24).Select(i => (byte)(i * 10)).ToArray();
            byte[] file = [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4, .. body];
            string plain = Path.Combine(dir, "images-idx3-ubyte"), gz = plain + ".gz";
            File.WriteAllBytes(plain, file);
            using (var output = new GZipStream(File.Create(gz), CompressionLevel.Optimal)) output.Write(file);
            foreach (string path in new[] { plain, gz })
            {
                IdxImages images = IdxReader.ReadImages(path);
                Assert.Equal((3, 2, 4), (images.Count, images.Rows, images.Columns));
                Assert.Equal(body, images.Pixels);
            }

            string labels = Path.Combine(dir, "labels-idx1-ubyte");
            File.WriteAllBytes(labels, [0, 0, 8, 1, 0, 0, 0, 5, 9, 0, 0, 3, 7]);
            Assert.Equal(new byte[] { 9, 0, 0, 3, 7 }, IdxReader.ReadLabels(labels));

            Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(labels)); // magic 0x801, not 0x803
            File.WriteAllBytes(plain, file[..30]); // the header promises 24 pixels, 14 follow
            Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(plain));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Without_the_data_the_message_names_the_missing_files_and_the_apt_get_command()
    {
        string empty = Directory.CreateTempSubdirectory("symgrad-nodata").FullName;
        try
        {
            Assert.False(FashionData.IsPresent(empty));
            string message = FashionData.HowToGet(empty);
            Assert.Contains("apt-get install dataset-fashion-mnist", message);
            foreach (string file in FashionData.Files) Assert.Contains(file, message);
            Assert.Equal(2, FashionMnist.Program.Main([empty, Path.Combine(empty, "out"), "1"]));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [SkippableFact]
    public void Debians_files_hold_60000_and_10000_images_of_28_by_28_and_labels_0_to_9_balanced()
    {
        Skip.IfNot(DataPresent, NoData);
        string folder = FashionData.DefaultFolder;
        IdxImages train = IdxReader.ReadImages(Path.Combine(folder, FashionData.TrainImages));
        IdxImages test = IdxReader.ReadImages(Path.Combine(folder, FashionData.TestImages));
        Assert.Equal((60000, 28, 28), (train.Count, train.Rows, train.Columns));
        Assert.Equal((10000, 28, 28), (test.Count, test.Rows, test.Columns));
        Assert.Equal(60000 * 784, train.Pixels.Length);
        byte[] trainLabels = IdxReader.ReadLabels(Path.Combine(folder, FashionData.TrainLabels));
        byte[] testLabels = IdxReader.ReadLabels(Path.Combine(folder, FashionData.TestLabels));
        // Zalando's split: 6,000 training and 1,000 test images of each class.
        for (byte c = 0; c < 10; c++)
        {
            Assert.Equal(6000, trainLabels.Count(l => l == c));
            Assert.Equal(1000, testLabels.Count(l => l == c));
        }
        // The first labels, as the data set's users know them (the first training image is an ankle boot).
        Assert.Equal(new byte[] { 9, 0, 0, 3, 0, 2, 7, 2, 5, 5 }, trainLabels[..10]);
        Assert.Equal(new byte[] { 9, 2, 1, 1, 6, 1, 4, 6, 5, 7 }, testLabels[..10]);
        // Pixels span the full byte range, and the corners of the first image are background.
        Assert.Equal(0, train.Pixels.Min());
        Assert.Equal(255, train.Pixels.Max());
        Assert.Equal(0, train.Pixels[0]);
        Assert.Equal(0, train.Pixels[783]);
    }

    [Fact]
    public void The_generated_gradient_equals_the_tape_on_a_small_net_for_every_parameter()
    {
        (double[,] images, int[] labels) = Synthetic(12, 20, seed: 3);
        FashionModel model = FashionModel.He(5, inputs: 20, hidden: 8, classes: 10);
        for (int j = 0; j < model.HiddenCount; j++) model.B1[j] = 0.05 * (j - 3); // biases away from 0
        int[] batch = [3, 0, 7, 7, 11];
        var gradient = new FashionModel(20, 8, 10);
        double loss = ParallelGradient.Sequential(model, images, labels, batch, gradient);

        Value[,] w1 = Value.Leaves(model.W1), w2 = Value.Leaves(model.W2);
        Value[] b1 = Value.Leaves(model.B1), b2 = Value.Leaves(model.B2);
        Value tape = FashionNet.LossTape(w1, b1, w2, b2, images, labels, batch);
        tape.Backward();
        Assert.Equal(tape.Data, loss, 1e-12);
        Assert.Equal(FashionNet.Loss(model.W1, model.B1, model.W2, model.B2, images, labels, batch), loss, 1e-14);
        double[] expected = [.. Flat(w1), .. b1.Select(v => v.Grad), .. Flat(w2), .. b2.Select(v => v.Grad)];
        double[] actual = Flatten(gradient);
        Assert.Equal(expected.Length, actual.Length);
        Assert.Contains(actual, g => Math.Abs(g) > 1e-3);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"parameter {i}: {actual[i]} vs tape {expected[i]}");
    }

    [Fact]
    public void The_generated_gradient_of_the_full_size_net_matches_central_finite_differences()
    {
        (double[,] images, int[] labels) = Synthetic(6, FashionModel.Inputs, seed: 11);
        FashionModel model = FashionModel.He(Program.InitSeed);
        int[] batch = [0, 1, 2, 3, 4, 5];
        var gradient = new FashionModel();
        ParallelGradient.Sequential(model, images, labels, batch, gradient);
        var rng = new SplitMix64(17);
        const double h = 1e-5;
        for (int trial = 0; trial < 24; trial++)
        {
            int part = trial % FashionModel.Parts;
            Span<double> p = model.Part(part);
            int i = rng.NextInt(p.Length);
            double saved = p[i];
            p[i] = saved + h;
            double up = FashionNet.Loss(model.W1, model.B1, model.W2, model.B2, images, labels, batch);
            p = model.Part(part);
            p[i] = saved - h;
            double down = FashionNet.Loss(model.W1, model.B1, model.W2, model.B2, images, labels, batch);
            model.Part(part)[i] = saved;
            double fd = (up - down) / (2 * h), g = gradient.Part(part)[i];
            Assert.True(Math.Abs(fd - g) <= 1e-6 * (1 + Math.Abs(fd)), $"part {part} element {i}: generated {g}, finite differences {fd}");
        }
    }

    [Theory]
    [InlineData(2, 64)]
    [InlineData(3, 64)]
    [InlineData(4, 37)]
    public void The_parallel_gradient_equals_one_call_over_the_whole_batch(int chunks, int batchSize)
    {
        (double[,] images, int[] labels) = Synthetic(200, FashionModel.Inputs, seed: 23);
        FashionModel model = FashionModel.He(9);
        int[] order = Enumerable.Range(0, 200).ToArray();
        Trainer.Shuffle(order, 1);
        var sequential = new FashionModel();
        var parallel = new FashionModel();
        var engine = new ParallelGradient(model, chunks);
        for (int round = 0; round < 2; round++) // the second round reuses the chunks' buffers: overwritten, not summed onto
        {
            int offset = 50 + 60 * round;
            double expected = ParallelGradient.Sequential(model, images, labels, order.AsSpan(offset, batchSize), sequential);
            double actual = engine.Compute(model, images, labels, order, offset, batchSize, parallel);
            Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Abs(expected), $"loss {actual} vs {expected}");
            double[] a = Flatten(parallel), e = Flatten(sequential);
            double scale = e.Max(Math.Abs);
            Assert.True(scale > 1e-3);
            for (int i = 0; i < e.Length; i++)
                Assert.True(Math.Abs(a[i] - e[i]) <= 1e-12 * Math.Max(Math.Abs(e[i]), 1e-3 * scale), $"element {i}: parallel {a[i]}, one call {e[i]}");
        }
    }

    [SkippableFact]
    public void One_epoch_on_2000_training_images_beats_chance_on_1000_test_images_by_far()
    {
        Skip.IfNot(DataPresent, NoData);
        FashionSplit train = FashionData.LoadTrain(count: 2000), test = FashionData.LoadTest(count: 1000);
        Assert.Equal(2000, train.Count);
        FashionModel model = FashionModel.He(Program.InitSeed);
        var trainer = new Trainer(model, train, new TrainingOptions { BatchSize = 32, Threads = 2 });
        double before = Metrics.Accuracy(model, test);
        (double meanLoss, _) = trainer.RunEpoch();
        double after = Metrics.Accuracy(model, test);
        Assert.Equal(63, trainer.BatchLosses.Count); // ⌈2000 / 32⌉
        Assert.True(after >= 0.60, $"test accuracy {after:P1} after one epoch on 2,000 images (chance is 10%; before training {before:P1})");
        Assert.True(trainer.BatchLosses[^10..].Average() < 0.6 * trainer.BatchLosses[..10].Average(),
                    $"the last 10 batches' loss {trainer.BatchLosses[^10..].Average()} vs the first 10's {trainer.BatchLosses[..10].Average()}");
        Assert.True(meanLoss < Math.Log(10), $"mean loss {meanLoss}");
    }

    /// <summary>Images of uniform pixels in [0, 1) and labels uniform in 0..9, seeded.</summary>
    private static (double[,] Images, int[] Labels) Synthetic(int n, int pixels, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var images = new double[n, pixels];
        var labels = new int[n];
        for (int s = 0; s < n; s++)
        {
            for (int k = 0; k < pixels; k++) images[s, k] = rng.NextDouble();
            labels[s] = rng.NextInt(10);
        }
        return (images, labels);
    }

    private static double[] Flatten(FashionModel m) =>
        [.. m.Part(0).ToArray(), .. m.Part(1).ToArray(), .. m.Part(2).ToArray(), .. m.Part(3).ToArray()];

    private static IEnumerable<double> Flat(Value[,] v)
    {
        for (int i = 0; i < v.GetLength(0); i++)
        {
            for (int j = 0; j < v.GetLength(1); j++) yield return v[i, j].Grad;
        }
    }
}
