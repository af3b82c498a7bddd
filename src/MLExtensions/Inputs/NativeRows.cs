using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MLExtensions.Inputs;

/// <summary>
/// A float tensor of a known number of rows, allocated once, that rows are written into directly: reading a column
/// then copies each value once, into native memory, with no managed array in between (whose second copy into the
/// tensor and garbage afterwards would double the memory a chunk of rows takes).
/// </summary>
internal sealed class NativeRows : IDisposable
{
    private readonly Tensor _tensor;
    private readonly IntPtr _data;
    private readonly int _width;

    public NativeRows(long rows, int width)
    {
        Capacity = rows;
        _width = width;
        _tensor = empty([rows, width], dtype: ScalarType.Float32);
        _data = Address(_tensor);
    }

    public long Capacity { get; }

    /// <summary>The memory of row <paramref name="row"/>.</summary>
    public unsafe Span<float> Row(long row) => new((float*)_data + row * _width, _width);

    /// <summary>The first <paramref name="rows"/> rows as a tensor (the same memory); the writer is done with it.</summary>
    public Tensor Take(long rows)
    {
        if (rows == Capacity)
            return _tensor;
        using (_tensor)
            return _tensor.narrow(0, 0, rows);
    }

    public void Dispose() => _tensor.Dispose();

    /// <summary>Where the tensor's memory starts: TorchSharp shows it as a span (of at most 2 GiB), so take that of the first row.</summary>
    private static unsafe IntPtr Address(Tensor t)
    {
        using var first = t.narrow(0, 0, 1);
        return (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetReference(first.bytes));
    }
}

/// <summary>Finds values that are not finite, a vector at a time.</summary>
internal static class Finite
{
    /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or -1.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // x − x is 0 for every finite x and NaN for NaN and ±∞.
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(values.Slice(i));
                if (!Vector.EqualsAll(v - v, Vector<float>.Zero))
                    break;
            }
        }
        for (; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                return i;
        return -1;
    }
}
