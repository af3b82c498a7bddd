using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLExtensions;

/// <summary>Turns tagged text (a sentence and its tags, one per word) into the key columns a sequence labeler reads.</summary>
public static class TaggedTextTransforms
{
    /// <summary>
    /// Splits <paramref name="textColumnName"/> into words and <paramref name="tagsColumnName"/> into tags
    /// (<c>TokenizeIntoWords</c>, spaces by default) and maps both to keys (<c>MapValueToKey</c>): the feature column
    /// becomes a variable-size vector of word keys (vocabulary in order of first occurrence), the label column a
    /// variable-size vector of tag keys, one per word, in ordinal order of the tags, both with text <c>KeyValues</c>.
    /// Words and tags that the fitted mapping has not seen become the missing key (0).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="featureColumnName">The word keys' column.</param>
    /// <param name="labelColumnName">The tag keys' column.</param>
    /// <param name="textColumnName">The text column: words separated by <paramref name="separators"/>.</param>
    /// <param name="tagsColumnName">The tags column: one tag per word, separated the same way.</param>
    /// <param name="separators">The separators of words and tags; a space by default.</param>
    public static EstimatorChain<ValueToKeyMappingTransformer> TokenizeTaggedWordsAsKeys(this TransformsCatalog catalog,
        string featureColumnName = "Features", string labelColumnName = "Label", string textColumnName = "Text",
        string tagsColumnName = "Tags", char[]? separators = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (string.Equals(featureColumnName, labelColumnName, StringComparison.Ordinal))
            throw new ArgumentException($"The feature and label columns must differ, but both are '{featureColumnName}'.");
        if (string.Equals(textColumnName, tagsColumnName, StringComparison.Ordinal))
            throw new ArgumentException($"The text and tags columns must differ, but both are '{textColumnName}'.");
        return catalog.Text.TokenizeIntoWords(featureColumnName, textColumnName, separators)
            .Append(catalog.Conversion.MapValueToKey(featureColumnName))
            .Append(catalog.Text.TokenizeIntoWords(labelColumnName, tagsColumnName, separators))
            .Append(catalog.Conversion.MapValueToKey(labelColumnName, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue));
    }
}
