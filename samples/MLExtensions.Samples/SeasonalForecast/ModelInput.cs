using Microsoft.ML.Data;

namespace MLExtensions.Samples.SeasonalForecast;

/// <summary>
/// One sliding window of data/seasonal.csv: the <see cref="SeasonalForecastModel.WindowSize"/> previous values, oldest
/// first, and the value that followed them. <see cref="SchemaDefinition"/> gives Features its fixed size.
/// </summary>
public class ModelInput
{
    [ColumnName(@"Features")]
    public float[] Features { get; set; } = [];

    [ColumnName(@"Label")]
    public float Label { get; set; }

    /// <summary>The schema with Features as a vector of exactly WindowSize values (the RNN reads them as steps of one value).</summary>
    public static SchemaDefinition SchemaDefinition()
    {
        var definition = Microsoft.ML.Data.SchemaDefinition.Create(typeof(ModelInput));
        definition[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, SeasonalForecastModel.WindowSize);
        return definition;
    }
}

/// <summary>One row of data/seasonal.csv: the time step and the value.</summary>
public class SeriesPoint
{
    [LoadColumn(0)]
    [ColumnName(@"t")]
    public float T { get; set; }

    [LoadColumn(1)]
    [ColumnName(@"Value")]
    public float Value { get; set; }
}
