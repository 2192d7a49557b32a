using MLNetFlows.Torch.Interop;

namespace MLNetFlows.Torch;

/// <summary>Linear algebra (torch.linalg), batched over leading dimensions.</summary>
public static class Linalg
{
    /// <summary>Sign and log|det| of square matrices; differentiable in log|det|.</summary>
    public static (Tensor Sign, Tensor LogAbsDet) SlogDet(Tensor matrix)
    {
        NativeError.Check(Native.mlnf_ops_slogdet(matrix.Handle, out var sign, out var logAbsDet));
        var first = new Tensor(sign);
        return (first, new Tensor(logAbsDet));
    }

    /// <summary>Matrix inverse.</summary>
    public static Tensor Inverse(Tensor matrix) => new(Native.mlnf_ops_inverse(matrix.Handle));

    /// <summary>LU factorisation with partial pivoting: packed LU and Int32 pivots (torch.linalg.lu_factor).</summary>
    public static (Tensor LU, Tensor Pivots) LUFactor(Tensor matrix)
    {
        NativeError.Check(Native.mlnf_ops_lu_factor(matrix.Handle, out var lu, out var pivots));
        var first = new Tensor(lu);
        return (first, new Tensor(pivots));
    }

    /// <summary>Unpacks <see cref="LUFactor"/>'s result into P, L (unit lower) and U with A = P·L·U.</summary>
    public static (Tensor P, Tensor L, Tensor U) LUUnpack(Tensor lu, Tensor pivots)
    {
        NativeError.Check(Native.mlnf_ops_lu_unpack(lu.Handle, pivots.Handle, out var p, out var l, out var u));
        var first = new Tensor(p);
        var second = new Tensor(l);
        return (first, second, new Tensor(u));
    }

    /// <summary>Solves A·X = B (or X·A = B when <paramref name="left"/> is false) for triangular A.</summary>
    public static Tensor SolveTriangular(Tensor a, Tensor b, bool upper, bool left = true, bool unitTriangular = false) =>
        new(Native.mlnf_ops_solve_triangular(a.Handle, b.Handle, upper ? 1 : 0, left ? 1 : 0, unitTriangular ? 1 : 0));

    /// <summary>QR decomposition (reduced unless <paramref name="complete"/>).</summary>
    public static (Tensor Q, Tensor R) QR(Tensor matrix, bool complete = false)
    {
        NativeError.Check(Native.mlnf_ops_qr(matrix.Handle, complete ? 1 : 0, out var q, out var r));
        var first = new Tensor(q);
        return (first, new Tensor(r));
    }

    /// <summary>The diagonal of a matrix as a vector, or a diagonal matrix from a vector.</summary>
    public static Tensor Diag(Tensor t, long diagonal = 0) => new(Native.mlnf_ops_diag(t.Handle, diagonal));

    /// <summary>The lower triangle (elements on and below diagonal <paramref name="diagonal"/>).</summary>
    public static Tensor Tril(Tensor t, long diagonal = 0) => new(Native.mlnf_ops_tril(t.Handle, diagonal));

    /// <summary>The upper triangle (elements on and above diagonal <paramref name="diagonal"/>).</summary>
    public static Tensor Triu(Tensor t, long diagonal = 0) => new(Native.mlnf_ops_triu(t.Handle, diagonal));
}
