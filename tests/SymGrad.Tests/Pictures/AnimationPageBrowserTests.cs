using SeedNotebook.Pictures;
using Xunit.Abstractions;

namespace SymGrad.Tests.Pictures;

/// <summary>The animation page in a real browser: Debian's chromium, headless, driven over DevTools.</summary>
public class AnimationPageBrowserTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Moving_the_sliders_redraws_the_page_without_console_errors()
    {
        Skip.IfNot(File.Exists(HeadlessChromium.DefaultPath),
            $"{HeadlessChromium.DefaultPath} is absent, so the animation page was NOT tested in a browser " +
            "(apt-get install chromium; .ci/run installs it)");

        string dir = Directory.CreateTempSubdirectory("symgrad-page-").FullName;
        try
        {
            string page = Path.Combine(dir, "training.html");
            File.WriteAllText(page, AnimationPage.Build(PicturesSection.Train(ValueTapeLoss.Gradient)));

            await using var browser = await HeadlessChromium.StartAsync();
            await browser.NavigateAsync(new Uri(page).AbsoluteUri, 1040, 560);
            Assert.True((bool?)await browser.EvaluateAsync("window.symgradReady === true"), "the page script did not finish");
            byte[] first = await browser.ScreenshotAsync();
            // Sample 1 with the notebook's weights: the output node shows the notebook's 0.13104653 as "0.13".
            Assert.Equal("0.13", (string?)await browser.EvaluateAsync(OutputLabel));

            int last = (int)(double)(await browser.EvaluateAsync(
                "(() => { const f = document.getElementById('frame'); f.value = f.max; " +
                "f.dispatchEvent(new Event('input', { bubbles: true })); return Number(f.value); })()"))!;
            Assert.Equal(PicturesSection.Steps, last);
            byte[] second = await browser.ScreenshotAsync();
            Assert.NotEqual(first, second);
            // Trained to the target 1.0 of sample 1.
            Assert.Equal("1.00", (string?)await browser.EvaluateAsync(OutputLabel));

            // Intensity 2 doubles the input: the input nodes read 2 × (2.5, 3, -2.5).
            await browser.EvaluateAsync(
                "(() => { const k = document.getElementById('intensity'); k.value = '2'; " +
                "k.dispatchEvent(new Event('input', { bubbles: true })); })()");
            Assert.Equal("5.00,6.00,-5.00", (string?)await browser.EvaluateAsync(
                "[...document.querySelectorAll('#net text')].filter(t => t.previousSibling && " +
                "t.previousSibling.getAttribute('data-layer') === '0').map(t => t.textContent).join()"));
            byte[] third = await browser.ScreenshotAsync();
            Assert.NotEqual(second, third);

            string errors = string.Join("\n", browser.Errors);
            output.WriteLine(errors.Length == 0 ? "no console errors" : errors);
            Assert.True(browser.Errors.IsEmpty, "console errors:\n" + errors);
            File.WriteAllBytes(Path.Combine(Path.GetTempPath(), "symgrad-training-page.png"), second);
            output.WriteLine($"screenshots: {first.Length}, {second.Length}, {third.Length} bytes");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private const string OutputLabel =
        "[...document.querySelectorAll('#net circle[data-layer=\"3\"]')].map(c => c.nextSibling.textContent).join()";
}
