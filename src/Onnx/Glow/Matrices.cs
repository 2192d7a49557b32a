namespace MLNetFlows.Onnx.Glow;

/// <summary>The small dense float64 matrix algebra the export needs (C×C channel-mixing matrices, C ≤ a few hundred).</summary>
internal static class Matrices
{
    public static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), m = b.GetLength(1), inner = a.GetLength(1);
        var result = new double[n, m];
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < inner; k++)
            {
                var aik = a[i, k];
                for (var j = 0; j < m; j++)
                {
                    result[i, j] += aik * b[k, j];
                }
            }
        }

        return result;
    }

    /// <summary>The inverse by Gauss–Jordan elimination with partial pivoting; throws for a singular matrix.</summary>
    public static double[,] Inverse(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var inverse = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            inverse[i, i] = 1;
        }

        for (var column = 0; column < n; column++)
        {
            var pivot = PivotRow(a, column);
            Swap(a, pivot, column);
            Swap(inverse, pivot, column);
            var scale = 1 / a[column, column];
            for (var j = 0; j < n; j++)
            {
                a[column, j] *= scale;
                inverse[column, j] *= scale;
            }

            for (var row = 0; row < n; row++)
            {
                var factor = a[row, column];
                if (row == column || factor == 0)
                {
                    continue;
                }

                for (var j = 0; j < n; j++)
                {
                    a[row, j] -= factor * a[column, j];
                    inverse[row, j] -= factor * inverse[column, j];
                }
            }
        }

        return inverse;
    }

    /// <summary>log|det| by Gaussian elimination with partial pivoting; throws for a singular matrix.</summary>
    public static double LogAbsDeterminant(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        double logAbsDet = 0;
        for (var column = 0; column < n; column++)
        {
            var pivot = PivotRow(a, column);
            Swap(a, pivot, column);
            logAbsDet += Math.Log(Math.Abs(a[column, column]));
            for (var row = column + 1; row < n; row++)
            {
                var factor = a[row, column] / a[column, column];
                for (var j = column; j < n; j++)
                {
                    a[row, j] -= factor * a[column, j];
                }
            }
        }

        return logAbsDet;
    }

    private static int PivotRow(double[,] a, int column)
    {
        var best = column;
        for (var row = column + 1; row < a.GetLength(0); row++)
        {
            if (Math.Abs(a[row, column]) > Math.Abs(a[best, column]))
            {
                best = row;
            }
        }

        return a[best, column] != 0 && double.IsFinite(a[best, column])
            ? best
            : throw new InvalidDataException("an invertible 1×1 convolution's weight is singular or not finite: the model's weights are corrupt");
    }

    private static void Swap(double[,] a, int r1, int r2)
    {
        if (r1 == r2)
        {
            return;
        }

        for (var j = 0; j < a.GetLength(1); j++)
        {
            (a[r1, j], a[r2, j]) = (a[r2, j], a[r1, j]);
        }
    }
}
