using SkiaSharp;

namespace MLExtensions.Samples.LongRangeAttention;

/// <summary>Writes attention weights (one [query, key] matrix per head) as a PNG heat map, heads side by side.</summary>
public static class AttentionHeatMap
{
    public static void Save(float[][,] heads, string path, int cell = 8)
    {
        int queries = heads[0].GetLength(0), keys = heads[0].GetLength(1), gap = 2 * cell;
        int width = heads.Length * keys * cell + (heads.Length - 1) * gap, height = queries * cell;
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            for (int h = 0; h < heads.Length; h++)
            {
                float max = heads[h].Cast<float>().Max();
                for (int q = 0; q < queries; q++)
                    for (int k = 0; k < keys; k++)
                    {
                        // White for no attention, dark blue for the row's strongest weights.
                        float v = max > 0 ? heads[h][q, k] / max : 0;
                        var color = new SKColor((byte)(255 * (1 - v)), (byte)(255 * (1 - 0.8f * v)), 255);
                        using var paint = new SKPaint { Color = color };
                        canvas.DrawRect(h * (keys * cell + gap) + k * cell, q * cell, cell, cell, paint);
                    }
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }
}
