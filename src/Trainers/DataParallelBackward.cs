using MLNetFlows.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetFlows.Trainers;

/// <summary>
/// One training step's forward and backward, cut into pieces of the batch that run at the same time on
/// <see cref="InferenceWorkers"/> (one libtorch thread each) instead of one pass spread over libtorch's intra-op
/// threads, which pay a barrier per operation and stall when the machine is busier than its cores (see
/// <see cref="InferenceWorkers"/>). Each piece's gradients come back from <c>torch.autograd.grad</c> and are summed in piece
/// order on the calling thread, so the result does not depend on which piece finishes first: the same seed gives the
/// same model for the same number of pieces. The caller draws every random number (e.g. the dequantisation noise) for
/// the whole batch before, on its own thread, so the pieces draw none.
/// </summary>
internal static class DataParallelBackward
{
    /// <summary>The fewest rows a piece holds.</summary>
    public const int MinimumRowsPerPiece = 16;

    /// <summary>How many pieces a batch of <paramref name="rows"/> on <paramref name="device"/> is cut into (1: one pass on this thread).</summary>
    public static int Pieces(long rows, Device device) =>
        device.type == DeviceType.CPU ? (int)Math.Clamp(rows / MinimumRowsPerPiece, 1, InferenceWorkers.CallerThreads) : 1;

    /// <summary>The first row and the number of rows of piece <paramref name="piece"/> of <paramref name="pieces"/>.</summary>
    public static (long Start, long Rows) Slice(long rows, int pieces, int piece)
    {
        var start = rows * piece / pieces;
        return (start, (rows * (piece + 1) / pieces) - start);
    }

    /// <summary>
    /// Runs <paramref name="pieceLoss"/>(i) for every piece on the workers (each returns a scalar loss whose sum over
    /// the pieces is the batch's loss), back-propagates each, sets every parameter's gradient to the sum of the pieces'
    /// gradients, and returns the batch's loss (the sum of the pieces', in piece order).
    /// </summary>
    public static double Run(IReadOnlyList<Parameter> parameters, int pieces, Func<int, Tensor> pieceLoss)
    {
        var inputs = parameters.Cast<Tensor>().ToList();
        var losses = new double[pieces];
        var gradients = new Tensor?[pieces][];
        try
        {
            InferenceWorkers.Run(pieces, piece =>
            {
                using var scope = NewDisposeScope();
                var loss = pieceLoss(piece);
                losses[piece] = loss.to(ScalarType.Float64).item<double>();
                var grads = autograd.grad([loss], inputs, allow_unused: true);
                gradients[piece] = grads.Select(g => g is null || g.IsInvalid ? null : g.MoveToOuterDisposeScope()).ToArray();
            });

            using var sumScope = NewDisposeScope();
            for (var j = 0; j < parameters.Count; j++)
            {
                Tensor? sum = null;
                foreach (var piece in gradients)
                {
                    if (piece[j] is { } g)
                    {
                        sum = sum is null ? g.clone() : sum.add_(g);
                    }
                }

                using var noGrad = no_grad();
                var parameter = parameters[j];
                if (sum is null)
                {
                    parameter.grad?.zero_();
                }
                else if (parameter.grad is { } existing)
                {
                    existing.copy_(sum);
                }
                else
                {
                    parameter.grad = sum; // libtorch keeps its own reference; this handle goes with the scope
                }
            }

            return losses.Sum();
        }
        finally
        {
            foreach (var piece in gradients)
            {
                foreach (var g in piece ?? [])
                {
                    g?.Dispose();
                }
            }
        }
    }
}
