using Microsoft.ML;
using Microsoft.ML.Data;
using MLExtensions.Onnx;
using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>
/// How a trainer's feature column becomes network input: the schema it accepts, how rows are read into one input
/// tensor, and how the ONNX model and ML.NET's OnnxTransformer receive one row at prediction time.
/// </summary>
internal abstract class FeatureLayout
{
    /// <summary>A short description for log messages, e.g. "784 features".</summary>
    public abstract string Description { get; }

    /// <summary>Throws a clear error when <paramref name="schema"/>'s column <paramref name="column"/> does not fit this layout.</summary>
    public abstract void Check(DataViewSchema schema, string column, string role);

    /// <summary>Starts reading the feature column of a cursor; <paramref name="rowCount"/> is the number of rows when the data knows it.</summary>
    public abstract IFeatureBuffer CreateBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, string role, long? rowCount);

    /// <summary>Declares the ML.NET-side ONNX input <paramref name="name"/> (one row) and returns a batch of one row for the network.</summary>
    public abstract string DeclareRowInput(OnnxGraph graph, string name);

    /// <summary>Declares the batched ONNX input for use outside ML.NET and returns the value the network reads.</summary>
    public abstract string DeclareBatchInput(OnnxGraph graph, string name);

    /// <summary>Metadata describing the input, written into the ONNX models.</summary>
    public abstract IEnumerable<KeyValuePair<string, string>> Metadata { get; }
}

/// <summary>Accumulates the feature values of successive rows.</summary>
internal interface IFeatureBuffer
{
    /// <summary>Reads the current row (0-based <paramref name="row"/> for messages).</summary>
    void Add(long row);

    /// <summary>The input tensor of all rows read, rows along dimension 0.</summary>
    Tensor ToTensor();
}
