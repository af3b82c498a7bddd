using Microsoft.ML.Runtime;

namespace MLExtensions.Training;

/// <summary>Routes training messages to ML.NET's <c>MLContext.Log</c> and observes <c>MLContext.CancelExecution</c>.</summary>
internal sealed class TrainingLog : IDisposable
{
    private readonly IChannel? _channel;
    private readonly Func<bool>? _isCanceled;
    private readonly CancellationToken _token;

    public TrainingLog(IHostEnvironment? env, string name, CancellationToken token)
    {
        Name = name;
        _token = token;
        if (env is null)
            return;
        _channel = env.Register(name).Start("Training");
        _isCanceled = MlNetInternals.CancellationFlag(env);
    }

    /// <summary>The trainer's name.</summary>
    public string Name { get; }

    public void Info(string message) => _channel?.Info(MessageSensitivity.None, message);

    public void Warning(string message) => _channel?.Warning(MessageSensitivity.None, message);

    /// <summary>Throws <see cref="OperationCanceledException"/> when the token or the ML.NET context asks to stop.</summary>
    public void CheckAlive()
    {
        _token.ThrowIfCancellationRequested();
        if (_isCanceled?.Invoke() == true)
            throw new OperationCanceledException("Operation was canceled.");
    }

    public void Dispose() => _channel?.Dispose();
}
