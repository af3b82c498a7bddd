using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace MLExtensions.Scoring;

/// <summary>
/// The input with a network's columns added, computed a batch of rows at a time through the standalone ONNX model.
/// Its schema is the input's columns followed by the network's, with the types and annotations (key values, slot
/// names) of the network's own scoring chain. A cursor reads the feature column ahead in batches on a second cursor
/// over the input; the input's own columns come from the first, row by row.
/// </summary>
internal sealed class BatchScoredDataView : IDataView
{
    private readonly IDataView _input;
    private readonly BatchScorer _scorer;
    private readonly int _batchSize;

    public BatchScoredDataView(NetworkTransformer network, IDataView input, int batchSize)
    {
        _input = input;
        _batchSize = batchSize;
        _scorer = BatchScorer.For(network);
        var scored = network.GetOutputSchema(input.Schema); // checks the feature column as Transform does
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input.Schema);
        foreach (var name in _scorer.Columns)
        {
            var column = scored[name];
            builder.AddColumn(name, column.Type, column.Annotations);
        }
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly BatchScoredDataView _view;
        private readonly DataViewRowCursor _rows;
        private readonly DataViewRowCursor? _ahead;
        private readonly FeatureBatch? _features;
        private readonly BatchOutputs? _outputs;
        private readonly bool[] _active;
        private readonly RunOptions? _run;
        private long _position = -1;
        private int _index = -1;

        public Cursor(BatchScoredDataView view, IEnumerable<DataViewSchema.Column> columnsNeeded)
        {
            _view = view;
            int inputColumns = view._input.Schema.Count;
            _active = new bool[view.Schema.Count];
            foreach (var column in columnsNeeded)
                _active[column.Index] = true;
            _rows = view._input.GetRowCursor(view._input.Schema.Where(c => _active[c.Index]));
            if (_active.Skip(inputColumns).Any(a => a))
            {
                var features = view._input.Schema[view._scorer.FeatureColumn];
                _ahead = view._input.GetRowCursor([features]);
                _features = FeatureBatch.For(view._scorer.Layout, _ahead, features);
                _outputs = BatchOutputs.For(view._scorer.Task);
                _run = new RunOptions();
            }
        }

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => _view.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<DataViewRowId> GetIdGetter() => _rows.GetIdGetter();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was made.");
            int inputColumns = _view._input.Schema.Count;
            if (column.Index < inputColumns)
                return _rows.GetGetter<TValue>(_view._input.Schema[column.Index]);
            return _outputs!.Getter(column.Name, () => _index) as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
        }

        public override bool MoveNext()
        {
            if (!_rows.MoveNext())
                return false;
            if (_features is not null && ++_index >= _features.Count)
            {
                if (_features.Read(_ahead!, _view._batchSize) == 0)
                    throw new InvalidOperationException("The input gave a second cursor fewer rows than the first; batched scoring needs an input that gives the same rows to every cursor.");
                Score();
                _index = 0;
            }
            _position++;
            return true;
        }

        private void Score()
        {
            using var input = _features!.ToOrtValue();
            using var outputs = _view._scorer.Session.Run(_run, ["features"], [input], _outputs!.OnnxOutputs);
            _outputs.Take(outputs, _features);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _rows.Dispose();
                _ahead?.Dispose();
                _run?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
