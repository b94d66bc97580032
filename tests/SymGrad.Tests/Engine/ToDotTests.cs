using System.Text.RegularExpressions;

namespace SymGrad.Tests.Engine;

public partial class ToDotTests
{
    [GeneratedRegex(@"^\s*(\w+)\s*\[(.*)\];\s*$")]
    private static partial Regex NodeLine();

    [GeneratedRegex(@"^\s*(\w+)\s*->\s*(\w+);\s*$")]
    private static partial Regex EdgeLine();

    /// <summary>micrograd's README graph: L = (a*b + c) * f, labelled; 7 values, 3 operators.</summary>
    private static Value MicrogradExample()
    {
        var a = new Value(2.0, "a");
        var b = new Value(-3.0, "b");
        var c = new Value(10.0, "c");
        Value e = a * b; e.Label = "e";
        Value d = e + c; d.Label = "d";
        var f = new Value(-2.0, "f");
        Value l = d * f; l.Label = "L";
        l.Backward();
        return l;
    }

    [Fact]
    public void Dot_text_is_well_formed()
    {
        string dot = MicrogradExample().ToDot();
        Assert.StartsWith("digraph", dot);
        Assert.Contains("rankdir=LR", dot);
        Assert.True(BracesBalancedOutsideQuotes(dot), dot);

        var declared = new HashSet<string>();
        int records = 0, edges = 0;
        foreach (string line in dot.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            Match node = NodeLine().Match(line);
            if (node.Success)
            {
                Assert.True(declared.Add(node.Groups[1].Value), $"declared twice: {line}");
                if (node.Groups[2].Value.Contains("shape=record")) records++;
            }
        }
        foreach (string line in dot.Split('\n'))
        {
            Match edge = EdgeLine().Match(line);
            if (!edge.Success) continue;
            edges++;
            Assert.Contains(edge.Groups[1].Value, declared);
            Assert.Contains(edge.Groups[2].Value, declared);
        }

        Assert.Equal(7, records);              // a b c e d f L
        Assert.Equal(7 + 3, declared.Count);   // plus one node per operator
        Assert.Equal(3 * 2 + 3, edges);        // two operands into each operator, each operator into its result
    }

    [Fact]
    public void Record_shows_label_data_and_grad_to_four_decimals()
    {
        string dot = MicrogradExample().ToDot();
        // dL/da = b * f = 6 (micrograd's README prints the same graph).
        Assert.Contains("{ a | data 2.0000 | grad 6.0000 }", dot);
        Assert.Contains("{ L | data -8.0000 | grad 1.0000 }", dot);
    }

    [Fact]
    public void Record_characters_in_labels_are_escaped()
    {
        string dot = new Value(1.0, "w{0}|<x>").ToDot();
        Assert.Contains(@"w\{0\}\|\<x\>", dot);
        Assert.True(BracesBalancedOutsideQuotes(dot));
    }

    private static bool BracesBalancedOutsideQuotes(string text)
    {
        int depth = 0;
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (ch == '\\') { i++; continue; }
            if (ch == '"') quoted = !quoted;
            else if (!quoted && ch == '{') depth++;
            else if (!quoted && ch == '}' && --depth < 0) return false;
        }
        return depth == 0 && !quoted;
    }
}
