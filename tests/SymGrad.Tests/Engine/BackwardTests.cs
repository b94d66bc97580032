namespace SymGrad.Tests.Engine;

public class BackwardTests
{
    [Fact]
    public void A_million_node_chain_does_not_overflow_the_stack()
    {
        // 999,999 negations above one leaf: 1,000,000 nodes, each the only child of the next. An odd number of
        // negations, so a skipped or repeated node would flip the sign.
        var x = new Value(1.5);
        Value v = x;
        for (int i = 0; i < 999_999; i++) v = -v;
        v.Backward();

        Assert.Equal(-1.5, v.Data);
        Assert.Equal(-1.0, x.Grad);
    }

    [Fact]
    public void A_node_used_twice_gets_both_contributions()
    {
        var x = new Value(3.0);
        Value y = x * x; // the same child twice
        y.Backward();
        Assert.Equal(6.0, x.Grad);
        Assert.Equal(2, y.Children.Count);
        Assert.Same(y.Children[0], y.Children[1]);
    }

    [Fact]
    public void Shared_subexpression_is_visited_once()
    {
        // z = x*y is used by two paths; if Backward ran z's rule twice, x would get 2 * 2y instead of 2y.
        var x = new Value(2.0);
        var y = new Value(5.0);
        Value z = x * y;
        Value out_ = z + z;
        out_.Backward();
        Assert.Equal(10.0, x.Grad);
        Assert.Equal(4.0, y.Grad);
    }

    [Fact]
    public void Gradients_accumulate_across_passes_as_in_micrograd()
    {
        var x = new Value(2.0);
        Value y = x * 3.0;
        y.Backward();
        y.Backward();
        Assert.Equal(6.0, x.Grad);
    }

    [Fact]
    public void Leaf_has_empty_op_and_no_children_and_keeps_its_label()
    {
        var x = new Value(1.0, "x");
        Assert.Equal("", x.Op);
        Assert.Empty(x.Children);
        Assert.Equal("x", x.Label);
        Assert.Equal("*", (x * x).Op);
    }

    [Fact]
    public void ToString_uses_round_trip_format()
    {
        Assert.Equal("Value(data=0.13104653000000002)", new Value(0.13104653000000002).ToString());
        Assert.Equal("Value(data=-2.5)", new Value(-2.5).ToString());
    }

    [Fact]
    public void Null_label_is_rejected_by_name()
    {
        var e = Assert.Throws<ArgumentNullException>(() => new Value(1.0, null!));
        Assert.Equal("label", e.ParamName);
    }
}
