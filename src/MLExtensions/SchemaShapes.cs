using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLExtensions;

/// <summary>Builds <see cref="SchemaShape.Column"/> values, whose constructor ML.NET keeps internal.</summary>
internal static class SchemaShapes
{
    private static readonly ConstructorInfo Constructor = typeof(SchemaShape.Column)
        .GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
        .Single(c => c.GetParameters().Length == 5);

    public static SchemaShape.Column Column(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey,
        SchemaShape? annotations = null) =>
        (SchemaShape.Column)Constructor.Invoke([name, kind, itemType, isKey, annotations]);
}
