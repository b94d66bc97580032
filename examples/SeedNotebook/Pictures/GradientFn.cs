namespace SeedNotebook.Pictures;

/// <summary>
/// A loss with its gradient: returns the loss at <paramref name="parameters"/> and WRITES d loss / d parameter
/// into <paramref name="grad"/> (same length). The shape of what the generator emits, so the training below can
/// take the generated gradient in place of <see cref="ValueTapeLoss"/> without changing anything else.
/// </summary>
public delegate double GradientFn(ReadOnlySpan<double> parameters, Span<double> grad);
