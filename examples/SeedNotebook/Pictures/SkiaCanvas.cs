using SkiaSharp;

namespace SeedNotebook.Pictures;

/// <summary>The same drawing calls onto a SkiaSharp raster surface (the SkiaSharp that ScottPlot brings).</summary>
public sealed class SkiaCanvas : IPictureCanvas, IDisposable
{
    private readonly SKSurface _surface;
    private readonly SKCanvas _canvas;

    public SkiaCanvas(int width, int height, string background = "#ffffff")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        _surface = SKSurface.Create(new SKImageInfo(width, height))
                   ?? throw new InvalidOperationException("SkiaSharp could not create a raster surface");
        _canvas = _surface.Canvas;
        _canvas.Clear(SKColor.Parse(background));
    }

    public void Line(double x1, double y1, double x2, double y2, string color, double width, double opacity = 1.0)
    {
        using var paint = new SKPaint
        {
            Color = SKColor.Parse(color).WithAlpha((byte)Math.Round(255 * Math.Clamp(opacity, 0, 1))),
            StrokeWidth = (float)width,
            IsAntialias = true,
            Style = SKPaintStyle.Stroke,
            StrokeCap = SKStrokeCap.Round,
        };
        _canvas.DrawLine((float)x1, (float)y1, (float)x2, (float)y2, paint);
    }

    public void Circle(double cx, double cy, double r, string fill, string stroke,
        IReadOnlyList<KeyValuePair<string, string>>? data = null)
    {
        using var paint = new SKPaint { Color = SKColor.Parse(fill), IsAntialias = true, Style = SKPaintStyle.Fill };
        _canvas.DrawCircle((float)cx, (float)cy, (float)r, paint);
        paint.Color = SKColor.Parse(stroke);
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = 1.5f;
        _canvas.DrawCircle((float)cx, (float)cy, (float)r, paint);
    }

    public void Text(double x, double y, string text, double size, bool bold = false, string color = "#000000")
    {
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans", bold ? SKFontStyle.Bold : SKFontStyle.Normal);
        using var font = new SKFont(typeface, (float)size);
        using var paint = new SKPaint { Color = SKColor.Parse(color), IsAntialias = true };
        // Centre vertically on the glyphs' cap height rather than the baseline, as SVG's dominant-baseline does.
        font.MeasureText("0", out SKRect digit);
        _canvas.DrawText(text, (float)x, (float)(y - digit.MidY), SKTextAlign.Center, font, paint);
    }

    public void SavePng(string path)
    {
        using var image = _surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    public void Dispose() => _surface.Dispose();
}
