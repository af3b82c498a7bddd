using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions.Tests;

[TestClass]
public sealed class ResourceTests
{
    /// <summary>The ONNX copies ML.NET writes while building and loading the scoring chain are removed when the models are disposed.</summary>
    [TestMethod]
    public void DisposingModelsRemovesTheirTemporaryFiles()
    {
        string temp = Directory.CreateTempSubdirectory("mlext-temp-").FullName;
        string zip = Path.Combine(Path.GetTempPath(), $"mlext-temp-{Guid.NewGuid():N}.zip");
        try
        {
            var ml = new MLContext(seed: 1) { TempFilePath = temp };
            var data = TestData.Load(ml, "linear.csv", DataKind.Single);
            var model = ml.Regression.Trainers.TorchLinearRegression(epochs: 1).Fit(data);
            ml.Model.Save(model, data.Schema, zip);
            model.Dispose();
            Assert.AreEqual(0, Directory.GetFiles(temp).Length, "after disposing the fitted model: " + string.Join(", ", Directory.GetFiles(temp)));

            var fresh = new MLContext { TempFilePath = temp };
            var loaded = fresh.Model.Load(zip, out _);
            _ = TestData.Column(loaded.Transform(data), "Score");
            (loaded as IDisposable)?.Dispose();
            Assert.AreEqual(0, Directory.GetFiles(temp).Length, "after disposing the loaded model");
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
            File.Delete(zip);
        }
    }
}
