using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLExtensions.Networks;
using MLExtensions.Onnx;
using MLExtensions.Training;

namespace MLExtensions.Prediction;

/// <summary>
/// One ONNX model per encoder layer whose output is that layer's attention weights for one row, built from the trained
/// attention network, so a fitted model can show what it attends to without TorchSharp.
/// </summary>
internal sealed class AttentionWeightsReader
{
    private readonly byte[][] _models;
    private readonly string _featureColumn;

    private AttentionWeightsReader(byte[][] models, string featureColumn)
    {
        _models = models;
        _featureColumn = featureColumn;
    }

    public int Layers => _models.Length;

    public static AttentionWeightsReader Create(AttentionNetwork network, FeatureLayout layout, string featureColumn)
    {
        var models = new byte[network.Layers.Count][];
        for (int layer = 0; layer < models.Length; layer++)
        {
            var g = new OnnxGraph("MLExtensionsAttentionWeights");
            network.Export(g, layout.DeclareRowInput(g, featureColumn), layer);
            g.AddOutput("attention_weights", OnnxTensorType.Float, -1, -1, -1, -1);
            models[layer] = g.ToModelBytes();
        }
        return new AttentionWeightsReader(models, featureColumn);
    }

    /// <summary>[head][query, key] weights of <paramref name="layer"/> for row <paramref name="row"/> of <paramref name="data"/>.</summary>
    public float[][,] Read(IDataView data, int layer, long row)
    {
        if (layer < 0 || layer >= _models.Length)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The encoder has {_models.Length} layer(s): use 0 to {_models.Length - 1}.");
        var column = ColumnChecks.Find(data.Schema, _featureColumn, "feature");
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
        using var session = new InferenceSession(_models[layer]);
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
        return NamedOnnxValue.CreateFromTensor(_featureColumn, new DenseTensor<T>(values, [1, values.Length]));
    }
}
