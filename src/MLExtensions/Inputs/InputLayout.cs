using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Onnx;
using MLExtensions.Persistence;
using static TorchSharp.torch;

namespace MLExtensions.Inputs;

/// <summary>
/// How a trainer's feature column becomes network input: the schema it accepts, how rows are read into one input
/// tensor, and how the ONNX model receives input (one row from ML.NET's OnnxTransformer, or a batch elsewhere).
/// A new input kind is one subclass plus its line in <see cref="Restorers"/>.
/// </summary>
internal abstract class InputLayout
{
    private static readonly Dictionary<string, Func<ModelMetadata, InputLayout>> Restorers = new(StringComparer.Ordinal)
    {
        [DenseVectorLayout.Kind] = DenseVectorLayout.Restore,
        [TokenSequenceLayout.Kind] = TokenSequenceLayout.Restore,
        [DenseSequenceLayout.Kind] = DenseSequenceLayout.Restore,
    };

    /// <summary>A short description for log messages, e.g. "784 features".</summary>
    public abstract string Description { get; }

    /// <summary>Throws a clear error when <paramref name="schema"/>'s column <paramref name="column"/> does not fit this layout.</summary>
    public abstract void Check(DataViewSchema schema, string column, string role);

    /// <summary>Starts reading the feature column of a cursor; <paramref name="rowCount"/> is the number of rows when the data knows it.</summary>
    public abstract IColumnBuffer CreateBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, string role, long? rowCount);

    /// <summary>Bytes that a row of <paramref name="steps"/> steps takes in the input tensor (for the memory budget; fixed-size rows ignore <paramref name="steps"/>).</summary>
    public abstract long RowBytes(int steps);

    /// <summary>Declares the ONNX input <paramref name="name"/> as ML.NET's OnnxTransformer feeds it (one row) and returns a batch of one row for the network.</summary>
    public abstract string WriteRowInput(OnnxGraph graph, string name);

    /// <summary>Declares the batched ONNX input for use outside ML.NET and returns the value the network reads.</summary>
    public abstract string WriteBatchInput(OnnxGraph graph, string name);

    /// <summary>Writes what describes the layout into a saved model's metadata (its kind under <c>input</c> and its parameters).</summary>
    public abstract void WriteMetadata(ModelMetadata metadata);

    /// <summary>The layout a saved model was trained with.</summary>
    public static InputLayout Restore(ModelMetadata metadata)
    {
        string kind = metadata["input"];
        return Restorers.TryGetValue(kind, out var restore)
            ? restore(metadata)
            : throw new InvalidDataException($"The model reads an input of kind '{kind}', which this version of MLExtensions does not know.");
    }
}

/// <summary>Accumulates the values of one column over successive rows.</summary>
internal interface IColumnBuffer
{
    /// <summary>Reads the current row (0-based <paramref name="row"/> for messages).</summary>
    void Add(long row);

    /// <summary>The tensor of all rows read, rows along dimension 0.</summary>
    Tensor ToTensor();
}
