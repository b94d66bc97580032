namespace SymGrad.Tests.Runtime;

/// <summary>
/// The per-thread tape the generated gradients save values on: reservations and takes of several values at once
/// must keep exactly the order of single pushes and pops, across growth.
/// </summary>
public class GradientTapeTests
{
    [Fact]
    public void A_reservation_is_pushes_in_slot_order_and_a_take_is_pops_from_the_top()
    {
        GradientTape tape = GradientTape.Rent();
        tape.Push(1.5);
        Span<double> saved = tape.Reserve(3);
        saved[0] = 2.5;
        saved[1] = 3.5;
        saved[2] = 4.5;
        tape.Push(5.5);
        Assert.Equal(5, tape.Count);

        Assert.Equal(5.5, tape.Pop());
        Assert.Equal(4.5, tape.Pop()); // the last slot of the reservation was pushed last
        ReadOnlySpan<double> taken = tape.Take(3);
        Assert.Equal(new[] { 1.5, 2.5, 3.5 }, taken.ToArray());
        Assert.Equal(0, tape.Count);
    }

    [Fact]
    public void Reservations_past_the_capacity_grow_the_tape_and_keep_what_it_held()
    {
        GradientTape tape = GradientTape.Rent();
        int capacity = tape.Capacity;
        for (int k = 0; k < capacity - 1; k++) tape.Push(k);
        Span<double> saved = tape.Reserve(capacity + 7); // larger than doubling the rest would leave room for
        for (int k = 0; k < saved.Length; k++) saved[k] = -k;
        Assert.True(tape.Capacity >= 2 * capacity + 6, $"capacity {tape.Capacity}");

        ReadOnlySpan<double> top = tape.Take(capacity + 7);
        for (int k = 0; k < top.Length; k++) Assert.Equal(-k, top[k]);
        for (int k = capacity - 2; k >= 0; k--) Assert.Equal(k, tape.Pop());
    }

    [Fact]
    public void Taking_more_than_was_saved_throws()
    {
        GradientTape tape = GradientTape.Rent();
        tape.Push(1.0);
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => tape.Take(2).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(300)] // past the arena's first 256 doubles: a new arena
    public void Float_blocks_are_zeroed_disjoint_and_taken_back_with_the_double_blocks(int length)
    {
        GradientTape tape = GradientTape.Rent();
        Span<double> before = tape.Allocate(3);
        before.Fill(-1.0);
        int mark = tape.Mark;
        Span<float> a = tape.AllocateSingle(length);
        Span<float> b = tape.AllocateSingle(length);
        Assert.Equal(length, a.Length);
        Assert.All(a.ToArray(), x => Assert.Equal(0, BitConverter.SingleToInt32Bits(x))); // +0f
        a.Fill(2f);
        Assert.All(b.ToArray(), x => Assert.Equal(0f, x)); // b does not overlap a
        b.Fill(3f);
        Assert.All(a.ToArray(), x => Assert.Equal(2f, x));
        Assert.Equal(new[] { -1.0, -1.0, -1.0 }, before.ToArray());

        tape.Release(mark);
        Span<float> again = tape.AllocateSingle(length);
        Assert.All(again.ToArray(), x => Assert.Equal(0f, x)); // the released memory comes back zeroed
        Assert.Throws<OverflowException>(() => tape.AllocateSingle(-1));
    }
}
