using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Transforms.Image.Decoding;

namespace MLNetFlows.Transforms.Image;

/// <summary>
/// A cursor of <see cref="SafeImageLoadingDataView"/>. A look-ahead cursor on the input reads the next batch of paths
/// and decodes them in parallel; the main input cursor moves in step with it (checked by row id) and serves the other
/// columns. Rows whose image fails are reported when the cursor reaches them, then skipped or thrown on. Each image
/// getter call returns a new MLImage owned by the caller; the image passed in is disposed (ImageAnalytics' convention),
/// so a consumer that reuses one variable releases each image at the next row.
/// </summary>
internal sealed class SafeImageLoadingCursor : DataViewRowCursor
{
    private readonly SafeImageLoadingTransformer _parent;
    private readonly DataViewRowCursor _main;
    private readonly DataViewRowCursor _ahead;
    private readonly ValueGetter<ReadOnlyMemory<char>> _aheadPath;
    private readonly ValueGetter<DataViewRowId> _aheadId;
    private readonly ValueGetter<DataViewRowId> _mainId;
    private readonly bool _imageNeeded;
    private readonly string[] _paths;
    private readonly DataViewRowId[] _ids;
    private readonly ImageFileLoader.Result[] _results;
    private int _count;
    private int _index = -1;
    private long _position = -1;
    private DecodedImage? _current;

    public SafeImageLoadingCursor(SafeImageLoadingTransformer parent, DataViewSchema schema, DataViewRowCursor main, DataViewRowCursor ahead, DataViewSchema.Column pathColumn, bool imageNeeded)
    {
        _parent = parent;
        Schema = schema;
        _main = main;
        _ahead = ahead;
        _aheadPath = ahead.GetGetter<ReadOnlyMemory<char>>(pathColumn);
        _aheadId = ahead.GetIdGetter();
        _mainId = main.GetIdGetter();
        _imageNeeded = imageNeeded;
        _paths = new string[parent.BatchSize];
        _ids = new DataViewRowId[parent.BatchSize];
        _results = new ImageFileLoader.Result[parent.BatchSize];
    }

    public override DataViewSchema Schema { get; }

    public override long Position => _position;

    public override long Batch => _main.Batch;

    public override bool MoveNext()
    {
        while (_main.MoveNext())
        {
            if (++_index >= _count)
            {
                ReadBatch();
            }

            DataViewRowId id = default;
            _mainId(ref id);
            if (_index >= _count || !id.Equals(_ids[_index]))
            {
                throw new InvalidOperationException(
                    $"LoadImagesSafely: the input view gave two cursors different rows (row id {id} against {(_index < _count ? _ids[_index].ToString() : "none")}): it must list its rows in the same order to every cursor");
            }

            _current = _parent.Report(_results[_index], _parent.OnBadImage);
            _results[_index] = default;
            if (_current is not null)
            {
                _position++;
                return true;
            }
        }

        _current = null;
        return false;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index == Schema.Count - 1 ? _imageNeeded : _main.IsColumnActive(_main.Schema[column.Index]);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index != Schema.Count - 1)
        {
            return _main.GetGetter<TValue>(_main.Schema[column.Index]);
        }

        if (!_imageNeeded)
        {
            throw new InvalidOperationException($"column '{column.Name}' was not requested when the cursor was created: pass it in columnsNeeded");
        }

        ValueGetter<MLImage> getter = (ref MLImage value) =>
        {
            DecodedImage image = _current ?? throw new InvalidOperationException("the cursor is not on a row: call MoveNext first (and stop when it returns false)");
            value?.Dispose();
            value = image.ToMLImage();
            value.Tag = _paths[_index];
        };
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"column '{column.Name}' holds images: expected a getter of MLImage, got one of {typeof(TValue).Name}");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _main.Dispose();
            _ahead.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Reads up to a batch of paths from the look-ahead cursor and decodes them.</summary>
    private void ReadBatch()
    {
        _count = 0;
        _index = 0;
        ReadOnlyMemory<char> path = default;
        while (_count < _paths.Length && _ahead.MoveNext())
        {
            _aheadPath(ref path);
            _aheadId(ref _ids[_count]);
            _paths[_count++] = _parent.Loader.Resolve(path.Span);
        }

        if (_parent.MaxDegreeOfParallelism > 1 && _count > 1)
        {
            Parallel.For(0, _count, new ParallelOptions { MaxDegreeOfParallelism = _parent.MaxDegreeOfParallelism }, i => _results[i] = _parent.Loader.TryLoad(_paths[i]));
        }
        else
        {
            for (int i = 0; i < _count; i++)
            {
                _results[i] = _parent.Loader.TryLoad(_paths[i]);
            }
        }
    }
}
