namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// seasonal.csv — a noisy seasonal time series for forecasting, one row per step t = 0 … <see cref="Rows"/> − 1:
/// Value = 2 + 0.0005·t + sin(2πt/12) + 0.4·sin(4πt/12 + 0.6) + N(0, 0.2²), a season of 12 steps with its second
/// harmonic and a slow upward trend. The rows stay in time order.
/// </summary>
internal sealed class SeasonalDataset : IDataset
{
    public const int Seed = 1010;
    public const int Rows = 1500;
    public const int Period = 12;
    public const double Level = 2.0;
    public const double Trend = 0.0005;
    public const double Amplitude = 1.0;
    public const double HarmonicAmplitude = 0.4;
    public const double HarmonicPhase = 0.6;
    public const double NoiseStdDev = 0.2;

    public string FileName => "seasonal.csv";

    public CsvTable Generate()
    {
        var normal = new GaussianSampler(new Random(Seed));
        var table = new CsvTable(["t", "Value"]);
        for (int t = 0; t < Rows; t++)
        {
            double angle = 2 * Math.PI * t / Period;
            double value = Level + Trend * t + Amplitude * Math.Sin(angle)
                + HarmonicAmplitude * Math.Sin(2 * angle + HarmonicPhase) + normal.Next(0, NoiseStdDev);
            table.Add([t, value]);
        }
        return table;
    }
}
