using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLExtensions.Inputs;
using MLExtensions.Networks;
using MLExtensions.Onnx;

namespace MLExtensions.Persistence;

/// <summary>
/// Reads an attention network's per-head attention weights for one row, by running the part of the scoring model
/// that computes them with ONNX Runtime. Works the same for a fitted model and for one loaded from its .zip.
/// </summary>
internal sealed class AttentionWeightsReader
{
    private readonly OnnxModelView _scoring;
    private readonly string[] _values;
    private readonly string _featureColumn;
    private readonly InputLayout _layout;

    private AttentionWeightsReader(OnnxModelView scoring, string[] values, string featureColumn, InputLayout layout)
    {
        _scoring = scoring;
        _values = values;
        _featureColumn = featureColumn;
        _layout = layout;
    }

    public int Layers => _values.Length;

    /// <summary>The reader for a scoring model whose network recorded attention weights, or null.</summary>
    public static AttentionWeightsReader? For(OnnxModelView scoring, ModelMetadata metadata, InputLayout layout)
    {
        var written = ScoringModel.WrittenValues(metadata);
        var values = new List<string>();
        while (written.TryGetValue(AttentionNetwork.AttentionWeightsRole(values.Count), out var value))
            values.Add(value);
        return values.Count == 0 ? null : new AttentionWeightsReader(scoring, values.ToArray(), metadata.FeatureColumn, layout);
    }

    /// <summary>[head][query, key] weights of <paramref name="layer"/> for row <paramref name="row"/> of <paramref name="data"/>.</summary>
    public float[][,] Read(IDataView data, int layer, long row)
    {
        if (layer < 0 || layer >= _values.Length)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The encoder has {_values.Length} layer(s): use 0 to {_values.Length - 1}.");
        if (row < 0)
            throw new ArgumentOutOfRangeException(nameof(row), row, "The row must not be negative.");
        _layout.Check(data.Schema, _featureColumn, "input");
        var column = data.Schema[_featureColumn];
        using var cursor = data.GetRowCursor([column]);
        for (long i = 0; i <= row; i++)
            if (!cursor.MoveNext())
                throw new ArgumentOutOfRangeException(nameof(row), row, "The data has fewer rows.");
        var itemType = ((VectorDataViewType)column.Type).ItemType;
        NamedOnnxValue input = itemType.RawType switch
        {
            var t when t == typeof(float) => Value<float>(cursor, column),
            var t when t == typeof(byte) => Value<byte>(cursor, column),
            var t when t == typeof(ushort) => Value<ushort>(cursor, column),
            var t when t == typeof(uint) => Value<uint>(cursor, column),
            _ => Value<ulong>(cursor, column),
        };
        using var session = new InferenceSession(ScoringModel.Exposing(_scoring, _values[layer], "attention_weights"));
        using var results = session.Run([input]);
        var weights = results.First().AsTensor<float>();
        int heads = weights.Dimensions[1], queries = weights.Dimensions[2], keys = weights.Dimensions[3];
        var matrices = new float[heads][,];
        for (int h = 0; h < heads; h++)
        {
            matrices[h] = new float[queries, keys];
            for (int q = 0; q < queries; q++)
                for (int k = 0; k < keys; k++)
                    matrices[h][q, k] = weights[0, h, q, k];
        }
        return matrices;
    }

    private NamedOnnxValue Value<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var buffer = default(VBuffer<T>);
        cursor.GetGetter<VBuffer<T>>(column)(ref buffer);
        var values = buffer.DenseValues().ToArray();
        // The scoring model's input is what OnnxTransformer feeds: one row, [1, length] for sequences, [size] for vectors.
        int[] shape = _layout is DenseVectorLayout ? [values.Length] : [1, values.Length];
        return NamedOnnxValue.CreateFromTensor(_featureColumn, new DenseTensor<T>(values, shape));
    }
}
