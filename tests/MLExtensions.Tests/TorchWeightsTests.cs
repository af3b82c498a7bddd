using System.IO.Compression;
using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MLExtensions.Tests;

/// <summary>
/// TorchWeights: state_dicts in PyTorch's zip format (written by TorchSharp.PyBridge, and laid out by hand as
/// torch.save writes them) and as safetensors load into TorchSharp modules and give identical outputs; mismatched
/// files fail key by key; pickles referring to anything but tensor data are refused without running anything;
/// truncated and malformed files throw.
/// </summary>
[TestClass]
public sealed class TorchWeightsTests
{
    private string _folder = "";

    [TestInitialize]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"torchweights-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
    }

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, name);

    private static Sequential Mlp() => nn.Sequential(
        ("hidden", nn.Linear(5, 8)), ("norm", nn.BatchNorm1d(8)), ("act", nn.ReLU()), ("out", nn.Linear(8, 3)));

    /// <summary>A few training steps so that weights and batch norm statistics differ from a fresh module's.</summary>
    private static void Train(nn.Module<Tensor, Tensor> module, Func<Tensor> batch)
    {
        module.train();
        using var optimizer = torch.optim.Adam(module.parameters(), 0.05);
        for (int i = 0; i < 3; i++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            module.forward(batch()).pow(2).mean().backward();
            optimizer.step();
        }

        module.eval();
    }

    [TestMethod]
    [DataRow("weights.pt")]
    [DataRow("weights.safetensors")]
    public void SavedWeightsLoadIntoAFreshModuleAndGiveIdenticalOutputs(string name)
    {
        torch.manual_seed(1);
        using var trained = Mlp();
        Train(trained, () => torch.randn(16, 5) + 1);
        TorchWeights.Save(trained, File(name));

        torch.manual_seed(2);
        using var fresh = Mlp();
        fresh.eval();
        using var x = torch.randn(7, 5);
        Assert.IsFalse(fresh.forward(x).equal(trained.forward(x)).all().item<bool>());
        var result = TorchWeights.Load(fresh, File(name));

        CollectionAssert.AreEquivalent(trained.state_dict().Keys.ToList(), result.LoadedKeys.ToList());
        Assert.AreEqual(0, result.MissingKeys.Count + result.UnexpectedKeys.Count);
        Assert.IsTrue(fresh.forward(x).equal(trained.forward(x)).all().item<bool>(), "outputs must be identical");
        Assert.AreEqual(trained.state_dict()["norm.num_batches_tracked"].item<long>(), fresh.state_dict()["norm.num_batches_tracked"].item<long>());
    }

    [TestMethod]
    public void PyTorchFilesAreTheZipAndPickleLayoutTorchLoadReads()
    {
        torch.manual_seed(1);
        using var module = Mlp();
        TorchWeights.Save(module, File("w.pt"));
        using var zip = ZipFile.OpenRead(File("w.pt"));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        string prefix = names.Single(n => n.EndsWith("/data.pkl", StringComparison.Ordinal))[..^"data.pkl".Length];
        CollectionAssert.Contains(names, prefix + "version");
        Assert.AreEqual(module.state_dict().Count, names.Count(n => n.StartsWith(prefix + "data/", StringComparison.Ordinal)));
        using var pickle = zip.GetEntry(prefix + "data.pkl")!.Open();
        var bytes = new MemoryStream();
        pickle.CopyTo(bytes);
        string text = Encoding.Latin1.GetString(bytes.ToArray());
        Assert.AreEqual(0x80, bytes.ToArray()[0]);
        Assert.AreEqual(2, bytes.ToArray()[1], "pickle protocol 2, as torch.save writes");
        StringAssert.Contains(text, "torch._utils\n_rebuild_tensor_v2\n");
        StringAssert.Contains(text, "torch\nFloatStorage\n");
        StringAssert.Contains(text, "torch\nLongStorage\n"); // num_batches_tracked
    }

    [TestMethod]
    public void RecurrentAndEmbeddingWeightsRoundTrip()
    {
        torch.manual_seed(3);
        using var trained = new SequenceClassifier("LSTM", 10, 4, 2, true, 3);
        Train(trained, () => torch.randint(0, 10, [6, 5], dtype: ScalarType.Int64));
        TorchWeights.Save(trained, File("lstm.safetensors"));
        TorchWeights.Save(trained, File("lstm.pt"));

        using var x = torch.randint(0, 10, [4, 5], dtype: ScalarType.Int64);
        foreach (string file in new[] { "lstm.safetensors", "lstm.pt" })
        {
            torch.manual_seed(4);
            using var fresh = new SequenceClassifier("LSTM", 10, 4, 2, true, 3);
            fresh.eval();
            TorchWeights.Load(fresh, File(file));
            Assert.IsTrue(fresh.forward(x).equal(trained.forward(x)).all().item<bool>(), file);
        }
    }

    [TestMethod]
    public void FilesLaidOutAsTorchSaveWritesThemLoad()
    {
        // One storage of 12 floats shared by three tensors: a [3, 4] weight, its transpose (strides [1, 4]) and a
        // 2-element slice at offset 10; a state_dict as PyTorch pickles it (OrderedDict + _metadata via BUILD).
        var storage = PickleWriter.Floats(Enumerable.Range(0, 12).Select(i => i * 0.5f).ToArray());
        var pickle = new PickleWriter().Proto(2).OrderedDict().Mark()
            .Str("a.weight").Tensor("0", "FloatStorage", 12, 0, [3, 4], [4, 1])
            .Str("b.weight").Tensor("0", "FloatStorage", 12, 0, [4, 3], [1, 4])
            .Str("a.bias").Tensor("0", "FloatStorage", 12, 10, [2], [1])
            .SetItems().StateDictMetadata().Stop().ToArray();
        System.IO.File.WriteAllBytes(File("torch.pt"), PickleWriter.TorchZip(pickle, new Dictionary<string, byte[]> { ["0"] = storage }));

        var read = TorchWeights.Read(File("torch.pt"));
        using var all = torch.arange(12, dtype: ScalarType.Float32) * 0.5;
        Assert.IsTrue(read["a.weight"].equal(all.reshape(3, 4)).all().item<bool>());
        Assert.IsTrue(read["b.weight"].equal(all.reshape(3, 4).t()).all().item<bool>());
        Assert.IsTrue(read["a.bias"].equal(all[10..12]).all().item<bool>());
        foreach (var t in read.Values)
            t.Dispose();

        using var linear = nn.Sequential(("a", nn.Linear(4, 3, hasBias: false)));
        var result = TorchWeights.Load(linear, File("torch.pt"), strict: false);
        CollectionAssert.AreEqual(new[] { "a.weight" }, result.LoadedKeys.ToArray());
        CollectionAssert.AreEqual(new[] { "a.bias", "b.weight" }, result.UnexpectedKeys.ToArray());
        Assert.IsTrue(linear.state_dict()["a.weight"].equal(all.reshape(3, 4)).all().item<bool>());
    }

    [TestMethod]
    public void CheckpointEntryIsChosenByName()
    {
        var pickle = new PickleWriter().Proto(2).EmptyDict().Mark()
            .Str("epoch").Int(7)
            .Str("model_state_dict").OrderedDict().Mark().Str("weight").Tensor("0", "FloatStorage", 2, 0, [1, 2], [2, 1]).SetItems()
            .SetItems().Stop().ToArray();
        System.IO.File.WriteAllBytes(File("checkpoint.pt"), PickleWriter.TorchZip(pickle, new Dictionary<string, byte[]> { ["0"] = PickleWriter.Floats(3, 4) }));
        using var linear = nn.Linear(2, 1, hasBias: false);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => TorchWeights.Load(linear, File("checkpoint.pt")));
        StringAssert.Contains(e.Message, "'epoch', 'model_state_dict'");
        StringAssert.Contains(e.Message, "entry");

        TorchWeights.Load(linear, File("checkpoint.pt"), entry: "model_state_dict");
        CollectionAssert.AreEqual(new[] { 3f, 4f }, linear.weight.data<float>().ToArray());
    }

    [TestMethod]
    [DataRow("weights.pt")]
    [DataRow("weights.safetensors")]
    public void MismatchedFilesListEveryKeyAndLeaveTheModuleUnchanged(string name)
    {
        torch.manual_seed(1);
        using var saved = nn.Sequential(("hidden", nn.Linear(5, 8)), ("extra", nn.Linear(8, 8)), ("out", nn.Linear(8, 3)));
        TorchWeights.Save(saved, File(name));

        using var other = nn.Sequential(("hidden", nn.Linear(5, 6)), ("out", nn.Linear(6, 3)), ("norm", nn.BatchNorm1d(3)));
        var before = other.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var e = Assert.ThrowsExactly<StateDictMismatchException>(() => TorchWeights.Load(other, File(name)));
        CollectionAssert.AreEquivalent(new[] { "norm.weight", "norm.bias", "norm.running_mean", "norm.running_var", "norm.num_batches_tracked" },
            e.MissingKeys.ToArray());
        CollectionAssert.AreEqual(new[] { "extra.bias", "extra.weight" }, e.UnexpectedKeys.ToArray());
        CollectionAssert.AreEqual(new[]
        {
            "hidden.weight: file [8, 5], module [6, 5]", "hidden.bias: file [8], module [6]", "out.weight: file [3, 8], module [3, 6]",
        }, e.ShapeMismatches.ToArray());
        StringAssert.Contains(e.Message, "missing keys (in the module, not in the file): norm.weight");
        StringAssert.Contains(e.Message, "unexpected keys (in the file, not in the module): extra.bias, extra.weight");
        StringAssert.Contains(e.Message, "wrong shapes: hidden.weight: file [8, 5], module [6, 5]");
        foreach (var (key, value) in other.state_dict())
            Assert.IsTrue(value.equal(before[key]).all().item<bool>(), $"{key} must be unchanged");

        // Not strict: missing and unexpected keys are reported, but wrong shapes are still an error.
        e = Assert.ThrowsExactly<StateDictMismatchException>(() => TorchWeights.Load(other, File(name), strict: false));
        Assert.AreEqual(3, e.ShapeMismatches.Count);
        using var compatible = nn.Sequential(("hidden", nn.Linear(5, 8)), ("out", nn.Linear(8, 3)));
        var result = TorchWeights.Load(compatible, File(name), strict: false);
        CollectionAssert.AreEqual(new[] { "extra.bias", "extra.weight" }, result.UnexpectedKeys.ToArray());
        Assert.IsTrue(compatible.state_dict()["out.weight"].equal(saved.state_dict()["out.weight"]).all().item<bool>());
    }

    [TestMethod]
    public void PicklesThatReferToCodeAreRefusedWithoutRunningIt()
    {
        string marker = File("marker");
        string command = $"touch {marker}";

        // Protocol 0, the classic: GLOBAL os.system, then REDUCE with a command.
        byte[] classic = Encoding.ASCII.GetBytes($"cos\nsystem\n(S'{command}'\ntR.");
        // Protocol 4: STACK_GLOBAL builtins.eval.
        var stackGlobal = new PickleWriter().Proto(4).Str("builtins").Str("eval").Op(0x93).Str("__import__('os').system('" + command + "')")
            .Op(0x85).Reduce().Stop().ToArray();
        // A whole model saved with torch.save(model): a class of the user's script, after a valid tensor.
        var wholeModel = new PickleWriter().Proto(2).OrderedDict().Mark()
            .Str("w").Tensor("0", "FloatStorage", 1, 0, [1], [1])
            .Str("net").Global("__main__", "Net").EmptyTuple().Reduce()
            .SetItems().Stop().ToArray();
        // An opcode that builds arbitrary objects.
        byte[] inst = new PickleWriter().Proto(2).Mark().Str(command).Op((byte)'i').Raw("os\nsystem\n").Stop().ToArray();

        var cases = new (string Name, byte[] Pickle, string Expected)[]
        {
            ("classic", classic, "os.system"),
            ("stack_global", stackGlobal, "builtins.eval"),
            ("whole_model", wholeModel, "__main__.Net"),
            ("inst", inst, "opcode 0x69"),
        };
        foreach (var (name, pickle, expected) in cases)
        {
            System.IO.File.WriteAllBytes(File(name + ".pt"), PickleWriter.TorchZip(pickle, new Dictionary<string, byte[]> { ["0"] = PickleWriter.Floats(1) }));
            using var module = nn.Linear(1, 1);
            var e = Assert.ThrowsExactly<InvalidDataException>(() => TorchWeights.Load(module, File(name + ".pt")), name);
            StringAssert.Contains(e.Message, "is refused", name);
            StringAssert.Contains(e.Message, expected, name);
        }

        // A bare pickle (no zip: PyTorch's legacy format, or any pickle) is not read at all.
        System.IO.File.WriteAllBytes(File("bare.pt"), stackGlobal);
        using var linear = nn.Linear(1, 1);
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TorchWeights.Load(linear, File("bare.pt"))).Message, "legacy");
        Assert.IsFalse(System.IO.File.Exists(marker), "nothing from the files may have run");
    }

    [TestMethod]
    [DataRow("weights.pt")]
    [DataRow("weights.safetensors")]
    public void TruncatedFilesThrow(string name)
    {
        torch.manual_seed(1);
        using var module = Mlp();
        TorchWeights.Save(module, File(name));
        byte[] whole = System.IO.File.ReadAllBytes(File(name));
        foreach (int length in new[] { 0, 3, 7, 20, whole.Length / 3, whole.Length / 2, whole.Length - 30, whole.Length - 1 })
        {
            System.IO.File.WriteAllBytes(File("cut"), whole[..length]);
            using var target = Mlp();
            var e = Assert.ThrowsExactly<InvalidDataException>(() => TorchWeights.Load(target, File("cut")), $"{length} of {whole.Length} bytes");
            StringAssert.Contains(e.Message, "'" + File("cut") + "'");
        }
    }

    [TestMethod]
    public void MalformedPyTorchFilesThrowWithTheReason()
    {
        var goodStorage = new Dictionary<string, byte[]> { ["0"] = PickleWriter.Floats(1, 2, 3, 4) };
        PickleWriter Start() => new PickleWriter().Proto(2).EmptyDict().Mark().Str("w");
        var cases = new (string Name, byte[] File, string Expected)[]
        {
            ("pickle cut short", PickleWriter.TorchZip(Start().Tensor("0", "FloatStorage", 4, 0, [4], [1]).ToArray(), goodStorage), "truncated"),
            ("view past the storage", PickleWriter.TorchZip(Start().Tensor("0", "FloatStorage", 4, 2, [2, 2], [2, 1]).SetItems().Stop().ToArray(), goodStorage),
                "reaches element 5 of storage '0', which has 4"),
            ("storage shorter than its size", PickleWriter.TorchZip(Start().Tensor("0", "FloatStorage", 8, 0, [8], [1]).SetItems().Stop().ToArray(), goodStorage),
                "storage '0' has 16 bytes, but 8 Float32 values take 32"),
            ("missing storage", PickleWriter.TorchZip(Start().Tensor("7", "FloatStorage", 4, 0, [4], [1]).SetItems().Stop().ToArray(), goodStorage),
                "no data for storage '7'"),
            ("unknown storage type", PickleWriter.TorchZip(Start().Tensor("0", "QuantizedStorage", 4, 0, [4], [1]).SetItems().Stop().ToArray(), goodStorage),
                "torch.QuantizedStorage"),
            ("not a state_dict", PickleWriter.TorchZip(new PickleWriter().Proto(2).Int(5).Stop().ToArray(), goodStorage), "not a state_dict"),
            ("zip without data.pkl", ZipWith("other/file.txt"), "no '<archive>/data.pkl'"),
        };
        foreach (var (name, bytes, expected) in cases)
        {
            System.IO.File.WriteAllBytes(File("bad.pt"), bytes);
            var e = Assert.ThrowsExactly<InvalidDataException>(() => TorchWeights.Read(File("bad.pt")), name);
            StringAssert.Contains(e.Message, expected, name);
        }
    }

    [TestMethod]
    public void MalformedSafetensorsThrowWithTheReason()
    {
        byte[] File(string header, int dataBytes)
        {
            var json = Encoding.UTF8.GetBytes(header);
            return [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[dataBytes]];
        }

        var cases = new (string Name, byte[] Bytes, string Expected)[]
        {
            ("header longer than the file", [.. BitConverter.GetBytes(1000UL), .. "{}"u8.ToArray()], "header length 1000"),
            ("not JSON", File("{\"w\": [", 0), "not valid JSON"),
            ("offsets past the data", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8), "outside the 8 bytes"),
            ("size and offsets disagree", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", 16), "needs 12 bytes"),
            ("unknown dtype", File("{\"w\":{\"dtype\":\"F8\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4), "dtype 'F8'"),
            ("negative shape", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "non-negative"),
            ("missing field", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "data_offsets"),
        };
        foreach (var (name, bytes, expected) in cases)
        {
            System.IO.File.WriteAllBytes(this.File("bad.safetensors"), bytes);
            var e = Assert.ThrowsExactly<InvalidDataException>(() => TorchWeights.Read(this.File("bad.safetensors")), name);
            StringAssert.Contains(e.Message, expected, name);
        }

        // A well-formed file with metadata reads.
        System.IO.File.WriteAllBytes(this.File("ok.safetensors"),
            File("{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8));
        var read = TorchWeights.Read(this.File("ok.safetensors"));
        CollectionAssert.AreEqual(new long[] { 2 }, read["w"].shape);
    }

    private static byte[] ZipWith(string entry)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            zip.CreateEntry(entry);
        return buffer.ToArray();
    }
}
