using System.Globalization;
using OxyPlot;
using SkiaSharp;

namespace MLExtensions.Plots;

/// <summary>The look shared by every picture: a font that exists on the machine, white background, a colour set.</summary>
internal static class PlotStyle
{
    public static readonly OxyColor Blue = OxyColor.FromRgb(0x1F, 0x77, 0xB4);
    public static readonly OxyColor Orange = OxyColor.FromRgb(0xFF, 0x7F, 0x0E);
    public static readonly OxyColor Green = OxyColor.FromRgb(0x2C, 0xA0, 0x2C);
    public static readonly OxyColor Red = OxyColor.FromRgb(0xD6, 0x27, 0x28);
    public static readonly OxyColor Purple = OxyColor.FromRgb(0x94, 0x67, 0xBD);
    public static readonly OxyColor Gray = OxyColor.FromRgb(0x7F, 0x7F, 0x7F);
    public static readonly OxyColor GridColor = OxyColor.FromAColor(60, OxyColors.Black);

    /// <summary>The first sans-serif family the font manager knows, so text never falls back to a serif or to nothing.</summary>
    public static string Font { get; } = FindFont();

    public static PlotModel NewModel(string title, string? subtitle) => new()
    {
        Title = title,
        Subtitle = subtitle,
        DefaultFont = Font,
        DefaultFontSize = 12,
        TitleFontSize = 16,
        SubtitleFontSize = 12,
        TitleFontWeight = FontWeights.Bold,
        Background = OxyColors.White,
        Culture = CultureInfo.InvariantCulture,
        Padding = new OxyThickness(12),
    };

    /// <summary>The width in pixels of a text line in <see cref="Font"/>.</summary>
    public static double TextWidth(string text, double fontSize, bool bold = false)
    {
        using var typeface = SKTypeface.FromFamilyName(Font, bold ? SKFontStyle.Bold : SKFontStyle.Normal);
        using var font = new SKFont(typeface, (float)fontSize);
        using var paint = new SKPaint(font);
        return paint.MeasureText(text);
    }

    /// <summary>A picture width that fits <paramref name="content"/> and the title and subtitle lines of <paramref name="model"/>.</summary>
    public static int FitTitle(PlotModel model, int content)
    {
        double title = TextWidth(model.Title ?? "", model.TitleFontSize, bold: true);
        double subtitle = TextWidth(model.Subtitle ?? "", model.SubtitleFontSize);
        return (int)Math.Ceiling(Math.Max(content, Math.Max(title, subtitle) + 2 * model.Padding.Left + 16));
    }

    /// <summary>Invariant-culture formatting for titles and labels.</summary>
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Labels for an axis over indices 0..n-1: the label of each whole index, nothing between them.</summary>
    public static Func<double, string> IndexLabels(IReadOnlyList<string> labels) => value =>
    {
        int i = (int)Math.Round(value);
        return Math.Abs(value - i) < 1e-6 && i >= 0 && i < labels.Count ? labels[i] : "";
    };

    private static string FindFont()
    {
        foreach (string family in new[] { "Segoe UI", "Helvetica Neue", "Helvetica", "Arial", "DejaVu Sans", "Liberation Sans", "Noto Sans" })
        {
            using var typeface = SKFontManager.Default.MatchFamily(family);
            if (typeface is not null)
                return family;
        }
        return SKTypeface.Default.FamilyName;
    }
}
