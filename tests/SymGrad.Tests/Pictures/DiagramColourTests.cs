using System.Globalization;
using System.Xml.Linq;
using SeedNotebook.Pictures;

namespace SymGrad.Tests.Pictures;

public class DiagramColourTests
{
    private const string Green = "#90ee90", Red = "#f08080";

    private static List<(int Layer, int Index, double Cx, double Value, string Fill)> Circles()
    {
        var svg = XDocument.Parse(NetworkDiagram.ToSvg(PicturesSection.DiagramPanels()));
        XNamespace ns = "http://www.w3.org/2000/svg";
        return svg.Descendants(ns + "circle").Select(c => (
            int.Parse((string)c.Attribute("data-layer")!, CultureInfo.InvariantCulture),
            int.Parse((string)c.Attribute("data-index")!, CultureInfo.InvariantCulture),
            double.Parse((string)c.Attribute("cx")!, CultureInfo.InvariantCulture),
            double.Parse((string)c.Attribute("data-value")!, CultureInfo.InvariantCulture),
            (string)c.Attribute("fill")!)).ToList();
    }

    [Fact]
    public void Manual_panel_colours_match_a_hand_computation_of_the_first_sample()
    {
        // Sample 1, x = (2.5, 3.0, -2.5), the notebook's weights, by hand:
        //   h1 pre-activations: -0.7731*2.5 + 0.1601*3 + 0.4321*-2.5 - 0.0132 = -2.5459
        //                       -0.0346*2.5 - 0.2008*3 + 0.3647*-2.5 + 0.7161 = -0.88455
        //                       -0.7577*2.5 + 0.4841*3 - 0.0354*-2.5 - 0.4399 = -0.79335
        //                        0.1601*2.5 - 0.2008*3 + 0.4841*-2.5 + 0.5371 = -0.8753
        //   so all of h1 is dead (the notebook: "algunos nodos ... en color rojo"), h2 = relu(b2) =
        //   (0.1427, 0, 0, 0.4936), and y = -0.2537*0.1427 - 0.3593*0.4936 + 0.3446 = 0.13104653 (its Predicción 1).
        string[][] expected =
        [
            [Green, Green, Red],
            [Red, Red, Red, Red],
            [Green, Red, Red, Green],
            [Green],
        ];
        var manual = Circles().Where(c => c.Cx < NetworkDiagram.PanelWidth).ToList();
        Assert.Equal(12, manual.Count);
        foreach (var c in manual) Assert.Equal(expected[c.Layer][c.Index], c.Fill);
        Assert.Equal(5, manual.Count(c => c.Fill == Green));
        Assert.Equal(7, manual.Count(c => c.Fill == Red));
        // The value behind the output node is the notebook's printed prediction.
        Assert.Equal(0.13104653000000002, manual.Single(c => c.Layer == 3).Value, 1e-15);
        Assert.Equal(0.1427, manual.Single(c => c.Layer == 2 && c.Index == 0).Value, 1e-15);
    }

    [Fact]
    public void Random_panel_colours_follow_the_sign_of_a_Value_tape_forward_pass()
    {
        // Reference: the same input through the Value engine (a separate implementation from the diagram's).
        double[] p = Net3441.RandomParameters(PicturesSection.RandomSeed);
        Value y = ValueTapeLoss.Forward(ValueTapeLoss.BuildLeaves(p), Net3441.Input(PicturesSection.DiagramSample));
        var random = Circles().Where(c => c.Cx >= NetworkDiagram.PanelWidth).ToList();
        Assert.Equal(12, random.Count);
        foreach (var c in random) Assert.Equal(c.Value > 0 ? Green : Red, c.Fill);
        var output = random.Single(c => c.Layer == 3);
        Assert.Equal(y.Data, output.Value, 1e-12);
        Assert.Equal(y.Data > 0 ? Green : Red, output.Fill);
    }
}
