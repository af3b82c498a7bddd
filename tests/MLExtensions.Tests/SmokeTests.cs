using TorchSharp;
namespace MLExtensions.Tests;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    public void TorchSharpNativeLibraryLoads()
    {
        using var t = torch.ones(2, 2);
        Assert.AreEqual(4f, t.sum().item<float>());
    }
}
