using System.IO.Compression;
using System.Text;

namespace MLExtensions.Tests;

/// <summary>Writes pickles opcode by opcode, and zip files laid out as torch.save lays them out, for the weights tests.</summary>
internal sealed class PickleWriter
{
    private readonly MemoryStream _bytes = new();

    public PickleWriter Op(byte op) { _bytes.WriteByte(op); return this; }

    public PickleWriter Raw(string ascii) { _bytes.Write(Encoding.ASCII.GetBytes(ascii)); return this; }

    public PickleWriter Proto(byte version) => Op(0x80).Op(version);

    public PickleWriter Global(string module, string name) => Op((byte)'c').Raw($"{module}\n{name}\n");

    public PickleWriter Mark() => Op((byte)'(');

    public PickleWriter Str(string s)
    {
        var utf8 = Encoding.UTF8.GetBytes(s);
        Op((byte)'X');
        _bytes.Write(BitConverter.GetBytes(utf8.Length));
        _bytes.Write(utf8);
        return this;
    }

    public PickleWriter Int(int value) { Op((byte)'J'); _bytes.Write(BitConverter.GetBytes(value)); return this; }

    public PickleWriter Tuple() => Op((byte)'t');

    public PickleWriter Ints(params int[] values)
    {
        Mark();
        foreach (int v in values)
            Int(v);
        return Tuple();
    }

    public PickleWriter EmptyTuple() => Op((byte)')');

    public PickleWriter EmptyDict() => Op((byte)'}');

    public PickleWriter SetItems() => Op((byte)'u');

    public PickleWriter Reduce() => Op((byte)'R');

    public PickleWriter Build() => Op((byte)'b');

    public PickleWriter False() => Op(0x89);

    public PickleWriter Stop() => Op((byte)'.');

    /// <summary>collections.OrderedDict() on the stack.</summary>
    public PickleWriter OrderedDict() => Global("collections", "OrderedDict").EmptyTuple().Reduce();

    /// <summary>The value of one state_dict entry: _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()).</summary>
    public PickleWriter Tensor(string storageKey, string storageType, int storageElements, int offset, int[] size, int[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2").Mark();
        Mark().Str("storage").Global("torch", storageType).Str(storageKey).Str("cpu").Int(storageElements).Tuple().Op((byte)'Q');
        Int(offset).Ints(size).Ints(stride).False().OrderedDict();
        return Tuple().Reduce();
    }

    /// <summary>The <c>_metadata</c> attribute PyTorch's state_dicts carry, applied with BUILD.</summary>
    public PickleWriter StateDictMetadata()
    {
        EmptyDict().Str("_metadata").OrderedDict().Mark().Str("").EmptyDict().Str("version").Int(1).Op((byte)'s').SetItems();
        return Op((byte)'s').Build();
    }

    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>A zip as torch.save writes it: archive/data.pkl, archive/byteorder, archive/data/&lt;key&gt;, archive/version.</summary>
    public static byte[] TorchZip(byte[] pickle, IReadOnlyDictionary<string, byte[]> storages, string archive = "archive")
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] data)
            {
                using var s = zip.CreateEntry($"{archive}/{name}", CompressionLevel.NoCompression).Open();
                s.Write(data);
            }

            Add("data.pkl", pickle);
            Add("byteorder", Encoding.ASCII.GetBytes("little"));
            foreach (var (key, data) in storages)
                Add($"data/{key}", data);
            Add("version", Encoding.ASCII.GetBytes("3\n"));
        }

        return buffer.ToArray();
    }

    public static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();
}
