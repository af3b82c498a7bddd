namespace MLExtensions;

/// <summary>The outputs of an exported <c>LSTM</c>, <c>GRU</c> or <c>RNN</c>, as its <c>forward</c> returns them.</summary>
/// <param name="Output">The last layer's outputs at every step: <c>[N, T, directions·hidden]</c> (batch first) or <c>[T, N, directions·hidden]</c>.</param>
/// <param name="HiddenState">The final hidden state of every layer and direction: <c>[layers·directions, N, hidden]</c>.</param>
/// <param name="CellState">The final cell state (LSTM only), shaped like <paramref name="HiddenState"/>.</param>
public sealed record TorchOnnxRecurrentOutputs(TorchOnnxValue Output, TorchOnnxValue HiddenState, TorchOnnxValue? CellState);
