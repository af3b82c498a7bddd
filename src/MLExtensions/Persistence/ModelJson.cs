using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;

namespace MLExtensions.Persistence;

/// <summary>JSON settings shared by what the model stores about itself.</summary>
internal static class ModelJson
{
    public static readonly JsonSerializerOptions Settings = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}

/// <summary>One <see cref="TorchEpochRecord"/> as stored in the model.</summary>
internal sealed record EpochRecordJson(int Epoch, double TrainLoss, double? ValidationLoss, double? ValidationMetric,
    string ValidationMetricName, double LearningRate, double Seconds)
{
    public static EpochRecordJson From(TorchEpochRecord r) =>
        new(r.Epoch, r.TrainLoss, r.ValidationLoss, r.ValidationMetric, r.ValidationMetricName, r.LearningRate, r.Seconds);

    public TorchEpochRecord ToRecord() =>
        new(Epoch, TrainLoss, ValidationLoss, ValidationMetric, ValidationMetricName, LearningRate, Seconds);
}

/// <summary>The trainer's options as JSON: every public property with a plain value (data views, callbacks and tokens are left out).</summary>
internal static class OptionsJson
{
    public static string Write(TorchTrainerOptions options)
    {
        var values = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in options.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            var type = property.PropertyType;
            if (typeof(IDataView).IsAssignableFrom(type) || typeof(Delegate).IsAssignableFrom(type) || type == typeof(CancellationToken))
                continue;
            values[property.Name] = JsonSerializer.SerializeToElement(property.GetValue(options), type, ModelJson.Settings);
        }
        return JsonSerializer.Serialize(values, ModelJson.Settings);
    }
}
