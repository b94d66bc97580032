using SeedNotebook.Pictures;

namespace SymGrad.Tests.Pictures;

public class PicturesSectionTests
{
    [Fact]
    public void Run_writes_and_names_every_file()
    {
        string dir = Directory.CreateTempSubdirectory("symgrad-pictures-").FullName;
        try
        {
            var log = new StringWriter();
            PicturesSection.Run(dir, log);
            string text = log.ToString();
            string[] expected =
            [
                "network-manual-vs-random.svg", "network-manual-vs-random.png", "loss-curve.png", "predictions.png",
                "training.html", "seed-loss-graph.dot",
            ];
            foreach (string name in expected)
            {
                string path = Path.Combine(dir, name);
                Assert.True(new FileInfo(path).Length > 0, $"{name} missing or empty");
                Assert.Contains(Path.GetFullPath(path), text);
            }
            foreach (string png in expected.Where(n => n.EndsWith(".png", StringComparison.Ordinal)))
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(Path.Combine(dir, png))[..4]);
            // The training line reports the notebook's loss first.
            Assert.Contains("loss 3.165349361996877 at step 0", text);
            // Graphviz: either the SVG was made, or the one line that says how to make it was printed.
            bool svg = File.Exists(Path.Combine(dir, "seed-loss-graph.svg"));
            Assert.True(svg || text.Contains("dot -Tsvg", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Dot_file_is_the_loss_graph_of_Value_ToDot()
    {
        string dir = Directory.CreateTempSubdirectory("symgrad-dot-").FullName;
        try
        {
            Value a = new(2.0, "a"), b = new(-3.0, "b");
            Value loss = a * b + 1.0;
            loss.Label = "loss";
            var files = ComputationGraph.Write(loss, Path.Combine(dir, "g.dot"), TextWriter.Null);
            Assert.Equal(loss.ToDot(), File.ReadAllText(files[0]));
            if (files.Count == 2) Assert.Contains("<svg", File.ReadAllText(files[1]));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
