using System.Text.RegularExpressions;
using SeedNotebook.Pictures;

namespace SymGrad.Tests.Pictures;

public class AnimationPageTests
{
    private static readonly Lazy<string> Page = new(() => AnimationPage.Build(PicturesSection.Train(ValueTapeLoss.Gradient)));

    [Fact]
    public void Page_loads_nothing_from_the_network()
    {
        string html = Page.Value;
        // No src/href to any remote or protocol-relative address, no CSS imports or url(), no fetches.
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*[""']?\s*(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"@import|url\(|fetch\(|XMLHttpRequest|<link|<iframe", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain(AnimationTemplate_Placeholder, html);
        Assert.Contains("<script>", html);
    }

    [Fact]
    public void Page_carries_every_frame_of_the_run()
    {
        var frames = PicturesSection.Train(ValueTapeLoss.Gradient);
        string json = Regex.Match(Page.Value, @"const run = (\{.*?\});\n", RegexOptions.Singleline).Groups[1].Value;
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(frames.Count, doc.RootElement.GetProperty("steps").GetArrayLength());
        Assert.Equal(frames.Count, doc.RootElement.GetProperty("parameters").GetArrayLength());
        Assert.Equal(3.165349361996877, doc.RootElement.GetProperty("losses")[0].GetDouble(), 1e-14);
    }

    private const string AnimationTemplate_Placeholder = "__TRAINING_JSON__";
}
