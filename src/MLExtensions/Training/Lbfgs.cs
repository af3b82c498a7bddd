using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLExtensions.Training;

/// <summary>
/// Full-batch L-BFGS (limited-memory BFGS) with a backtracking line search on the sufficient-decrease (Armijo) condition:
/// each <see cref="Iterate"/> computes a quasi-Newton direction from the last <c>history</c> steps with the two-loop
/// recursion, halves the step until the loss has decreased enough, and keeps the step's curvature pair only when it is
/// positive (which keeps the direction a descent direction). TorchSharp's own LBFGS has no line search.
/// </summary>
internal sealed class Lbfgs : IDisposable
{
    private const double SufficientDecrease = 1e-4;
    private const int MaxHalvings = 30;

    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly int _history;
    private readonly LinkedList<(Tensor S, Tensor Y, double Rho)> _pairs = new();
    private Tensor? _gradient;
    private double _loss = double.NaN;

    public Lbfgs(IEnumerable<Parameter> parameters, int history = 10)
    {
        _parameters = parameters.Where(p => p.requires_grad).ToList();
        _history = history;
    }

    /// <summary>True when the last iteration changed the loss by less than the tolerance, or the gradient vanished.</summary>
    public bool Converged { get; private set; }

    /// <summary>
    /// One iteration. <paramref name="evaluate"/> must compute the full-batch loss at the current parameters, leave its
    /// gradient in the parameters' <c>grad</c>, and return the loss. Returns the loss after the step.
    /// </summary>
    public double Iterate(Func<double> evaluate, double tolerance)
    {
        using var scope = NewDisposeScope(); // everything but the kept curvature pairs and gradient goes with it
        if (_gradient is null)
        {
            _loss = evaluate();
            _gradient = FlatGradient().MoveToOuterDisposeScope();
        }
        var direction = Direction(_gradient);
        double slope = direction.dot(_gradient).item<float>();
        if (!(slope < 0))
        {
            // Not a descent direction (the curvature pairs went stale): restart from steepest descent.
            Clear();
            direction = _gradient.neg();
            slope = -_gradient.dot(_gradient).item<float>();
        }
        if (slope == 0)
        {
            Converged = true;
            return _loss;
        }

        var start = FlatParameters();
        double step = _pairs.Count == 0 ? Math.Min(1.0, 1.0 / Math.Max(1e-12, _gradient.abs().sum().item<float>())) : 1.0;
        double loss = double.NaN;
        for (int i = 0; i < MaxHalvings; i++)
        {
            SetParameters(start + direction * step);
            loss = evaluate();
            if (double.IsFinite(loss) && loss <= _loss + SufficientDecrease * step * slope)
                break;
            step /= 2;
        }
        if (!double.IsFinite(loss) || loss > _loss)
        {
            // No decrease along the direction: keep the old point and stop.
            SetParameters(start);
            evaluate();
            Converged = true;
            return _loss;
        }

        var gradient = FlatGradient().MoveToOuterDisposeScope();
        var s = direction * step;
        var y = gradient - _gradient;
        double sy = s.dot(y).item<float>();
        if (sy > 1e-10)
        {
            _pairs.AddLast((s.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope(), 1 / sy));
            if (_pairs.Count > _history)
            {
                var (oldS, oldY, _) = _pairs.First!.Value;
                oldS.Dispose();
                oldY.Dispose();
                _pairs.RemoveFirst();
            }
        }
        Converged = Math.Abs(_loss - loss) <= tolerance * Math.Max(1, Math.Abs(_loss)) || gradient.abs().max().item<float>() < 1e-7;
        _gradient.Dispose();
        _gradient = gradient;
        _loss = loss;
        return loss;
    }

    /// <summary>−H·g by the two-loop recursion, H₀ = (s·y / y·y) I from the newest pair.</summary>
    private Tensor Direction(Tensor gradient)
    {
        var q = gradient.neg();
        var alphas = new Stack<double>();
        for (var node = _pairs.Last; node is not null; node = node.Previous)
        {
            var (s, y, rho) = node.Value;
            double alpha = rho * s.dot(q).item<float>();
            alphas.Push(alpha);
            q.sub_(y * alpha);
        }
        if (_pairs.Last is { } newest)
        {
            var (s, y, _) = newest.Value;
            q.mul_(s.dot(y).item<float>() / y.dot(y).item<float>());
        }
        for (var node = _pairs.First; node is not null; node = node.Next)
        {
            var (s, y, rho) = node.Value;
            double beta = rho * y.dot(q).item<float>();
            q.add_(s * (alphas.Pop() - beta));
        }
        return q;
    }

    private Tensor FlatGradient() =>
        cat(_parameters.Select(p => p.grad is null ? zeros(p.numel(), device: p.device) : p.grad.reshape(-1)).ToArray()).detach().clone();

    private Tensor FlatParameters() => cat(_parameters.Select(p => p.detach().reshape(-1)).ToArray());

    private void SetParameters(Tensor flat)
    {
        using var _ = no_grad();
        long offset = 0;
        foreach (var p in _parameters)
        {
            long n = p.numel();
            p.copy_(flat.narrow(0, offset, n).view_as(p));
            offset += n;
        }
    }

    private void Clear()
    {
        foreach (var (s, y, _) in _pairs)
        {
            s.Dispose();
            y.Dispose();
        }
        _pairs.Clear();
    }

    public void Dispose()
    {
        Clear();
        _gradient?.Dispose();
    }
}
