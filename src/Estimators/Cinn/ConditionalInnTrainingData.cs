using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Trainers.Cinn;
using static TorchSharp.torch;

namespace MLNetFlows.Estimators.Cinn;

/// <summary>
/// Reads the pixel and label columns into UInt8 pixels [N, C, H, W] and Int64 class indices [N], fixes the number of
/// classes, the Laplace-smoothed class log-priors log((n_c + 1)/(N + K)) and the seeded validation split.
/// </summary>
internal sealed class ConditionalInnTrainingData : IDisposable
{
    private ConditionalInnTrainingData(int classes, double[] logPriors, Tensor train, Tensor trainLabels, Tensor? validation, Tensor? validationLabels)
    {
        (Classes, LogPriors, Train, TrainLabels, Validation, ValidationLabels) = (classes, logPriors, train, trainLabels, validation, validationLabels);
    }

    public int Classes { get; }

    public double[] LogPriors { get; }

    public Tensor Train { get; }

    public Tensor TrainLabels { get; }

    public Tensor? Validation { get; }

    public Tensor? ValidationLabels { get; }

    public static ConditionalInnTrainingData Read(IDataView data, DataViewSchema.Column features, DataViewSchema.Column label, ConditionalInnTrainerOptions options, int seed)
    {
        var dims = options.Channels * options.ImageHeight * options.ImageWidth;
        var isKey = label.Type is KeyDataViewType;
        var classes = options.NumberOfClasses > 0 ? options.NumberOfClasses : label.Type is KeyDataViewType key ? (int)key.Count : 0;
        var bytes = new List<byte>();
        var rawLabels = new List<long>();
        using (var cursor = data.GetRowCursor([features, label]))
        {
            var pixelGetter = cursor.GetGetter<VBuffer<float>>(features);
            var keyGetter = isKey ? cursor.GetGetter<uint>(label) : null;
            var intGetter = isKey ? null : cursor.GetGetter<int>(label);
            VBuffer<float> value = default;
            uint keyValue = 0;
            var intValue = 0;
            while (cursor.MoveNext())
            {
                pixelGetter(ref value);
                var values = value.DenseValues().ToArray();
                if (values.Length != dims)
                {
                    throw new InvalidDataException($"row {rawLabels.Count} of column '{features.Name}' has {values.Length} values, expected {dims}");
                }

                foreach (var v in values)
                {
                    if (!(v >= 0 && v <= 255))
                    {
                        throw new InvalidDataException($"row {rawLabels.Count} of column '{features.Name}' holds {v}; the conditional INN trains on pixel values in [0, 255] (ExtractPixels with offsetImage 0 and scaleImage 1)");
                    }

                    bytes.Add((byte)MathF.Round(v));
                }

                if (isKey)
                {
                    keyGetter!(ref keyValue);
                    rawLabels.Add(keyValue);
                }
                else
                {
                    intGetter!(ref intValue);
                    rawLabels.Add(intValue);
                }
            }
        }

        if (rawLabels.Count == 0)
        {
            throw new InvalidDataException($"column '{features.Name}' has no rows to train on");
        }

        if (classes == 0)
        {
            classes = (int)Math.Max(rawLabels.Max() + 1, 2);
        }

        var labels = rawLabels.Select(l => (long)ConditionalInnColumns.ClassIndex(label.Name, l, isKey, classes)).ToArray();
        var counts = new long[classes];
        foreach (var l in labels)
        {
            counts[l]++;
        }

        var logPriors = counts.Select(c => Math.Log((c + 1.0) / (labels.Length + classes))).ToArray();
        var order = Enumerable.Range(0, labels.Length).ToArray();
        new Random(seed).Shuffle(order);
        var validationCount = (int)(labels.Length * options.ValidationFraction);
        if (labels.Length - validationCount < 1)
        {
            throw new InvalidDataException($"ValidationFraction {options.ValidationFraction} leaves no training rows out of {labels.Length}");
        }

        var all = bytes.ToArray();
        var (validation, validationLabels) = validationCount > 0 ? Gather(all, labels, order.AsSpan(0, validationCount), options) : (null, null);
        var (train, trainLabels) = Gather(all, labels, order.AsSpan(validationCount), options);
        return new ConditionalInnTrainingData(classes, logPriors, train, trainLabels, validation, validationLabels);
    }

    public void Dispose()
    {
        Train.Dispose();
        TrainLabels.Dispose();
        Validation?.Dispose();
        ValidationLabels?.Dispose();
    }

    private static (Tensor Pixels, Tensor Labels) Gather(byte[] all, long[] labels, ReadOnlySpan<int> rows, ConditionalInnTrainerOptions options)
    {
        var dims = options.Channels * options.ImageHeight * options.ImageWidth;
        var selected = new byte[rows.Length * dims];
        var selectedLabels = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            all.AsSpan(rows[i] * dims, dims).CopyTo(selected.AsSpan(i * dims));
            selectedLabels[i] = labels[rows[i]];
        }

        return (tensor(selected, [rows.Length, options.Channels, options.ImageHeight, options.ImageWidth], ScalarType.Byte), tensor(selectedLabels));
    }
}
