using System.Text.Json;

namespace SeedNotebook.Pictures;

/// <summary>Writes the self-contained animation page: the template with the training run inlined as JSON.</summary>
public static class AnimationPage
{
    public static string Build(IReadOnlyList<TrainingFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0) throw new ArgumentException("the animation needs at least one frame", nameof(frames));
        var run = new
        {
            inputs = Enumerable.Range(0, Net3441.SampleCount).Select(Net3441.Input).ToArray(),
            targets = Enumerable.Range(0, Net3441.SampleCount).Select(Net3441.Target).ToArray(),
            steps = frames.Select(f => f.Step).ToArray(),
            losses = frames.Select(f => f.Loss).ToArray(),
            // 7 decimals: ample for a drawing, and keeps the page small.
            parameters = frames.Select(f => f.Parameters.Select(v => Math.Round(v, 7)).ToArray()).ToArray(),
        };
        string json = JsonSerializer.Serialize(run);
        return AnimationTemplate.Html.Replace(AnimationTemplate.Placeholder, json, StringComparison.Ordinal);
    }
}
