using MLNetFlows.Torch.NN;
using MLNetFlows.Torch.Optim;
using MLNetFlows.Torch.Serialization;

namespace MLNetFlows.Torch.Tests;

/// <summary>
/// Parity with PyTorch 1.13 (Debian's python3-torch) for every op family the models use, forward and backward,
/// against Fixtures/parity.safetensors. Tolerance: |Δ| ≤ 1e-5 + 1e-4·|expected| in float32 unless stated.
/// </summary>
public sealed class ParityTests : IDisposable
{
    private readonly SafeTensorsContent _fixtures = Fixtures.Load();
    private readonly DisposeScope _scope = DisposeScope.Enter();

    public void Dispose()
    {
        _scope.Dispose();
        _fixtures.Dispose();
    }

    private Tensor F(string name) => _fixtures.Tensors[name];

    private Tensor Leaf(string name) => F(name).Clone().RequiresGrad_();

    private static Tensor GradOf(Tensor t) => t.Grad ?? throw new InvalidOperationException("no gradient");

    [Fact]
    public void Conv2dForwardAndBackward()
    {
        var (x, w, b) = (Leaf("conv2d.x"), Leaf("conv2d.w"), Leaf("conv2d.b"));
        var y = Functional.Conv2d(x, w, b, stride: 1, padding: 1);
        (y * F("conv2d.gy")).Sum().Backward();

        TensorAssert.Close(F("conv2d.y"), y);
        TensorAssert.Close(F("conv2d.gx"), GradOf(x));
        TensorAssert.Close(F("conv2d.gw"), GradOf(w));
        TensorAssert.Close(F("conv2d.gb"), GradOf(b));
        TensorAssert.Close(F("conv2d_s2.y"), Functional.Conv2d(F("conv2d_s2.x"), F("conv2d_s2.w"), stride: 2, padding: 1));
    }

    [Fact]
    public void ConvTranspose2dForwardAndBackward()
    {
        var (x, w, b) = (Leaf("convt.x"), Leaf("convt.w"), Leaf("convt.b"));
        var y = Functional.ConvTranspose2d(x, w, b, stride: 2, padding: 1);
        (y * F("convt.gy")).Sum().Backward();

        TensorAssert.Close(F("convt.y"), y);
        TensorAssert.Close(F("convt.gx"), GradOf(x));
        TensorAssert.Close(F("convt.gw"), GradOf(w));
        TensorAssert.Close(F("convt.gb"), GradOf(b));
    }

    [Fact]
    public void LinearForwardAndBackward()
    {
        var (x, w, b) = (Leaf("linear.x"), Leaf("linear.w"), Leaf("linear.b"));
        var y = Functional.Linear(x, w, b);
        (y * F("linear.gy")).Sum().Backward();

        TensorAssert.Close(F("linear.y"), y);
        TensorAssert.Close(F("linear.gx"), GradOf(x));
        TensorAssert.Close(F("linear.gw"), GradOf(w));
        TensorAssert.Close(F("linear.gb"), GradOf(b));
    }

    [Fact]
    public void BatchNormTrainingUpdatesRunningStatsAndEvalUsesThem()
    {
        var (x, weight, bias) = (Leaf("bn.x"), Leaf("bn.weight"), Leaf("bn.bias"));
        var runningMean = Tensor.Zeros([3]);
        var runningVar = Tensor.Ones([3]);

        var train = Functional.BatchNorm(x, runningMean, runningVar, weight, bias, training: true, momentum: 0.1, eps: 1e-5);
        (train * F("bn.gy")).Sum().Backward();

        TensorAssert.Close(F("bn.y_train"), train);
        TensorAssert.Close(F("bn.running_mean"), runningMean);
        TensorAssert.Close(F("bn.running_var"), runningVar);
        TensorAssert.Close(F("bn.gx"), GradOf(x));
        TensorAssert.Close(F("bn.gweight"), GradOf(weight));
        TensorAssert.Close(F("bn.gbias"), GradOf(bias));
        TensorAssert.Close(F("bn.y_eval"), Functional.BatchNorm(F("bn.x"), runningMean, runningVar, F("bn.weight"), F("bn.bias"), training: false));
    }

    [Fact]
    public void BatchNormModuleMatchesTheFunctional()
    {
        using var bn = new BatchNorm2d(3);
        bn.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = F("bn.weight"), ["bias"] = F("bn.bias"), ["running_mean"] = Tensor.Zeros([3]), ["running_var"] = Tensor.Ones([3]),
        });

        TensorAssert.Close(F("bn.y_train"), bn.Forward(F("bn.x")));
        TensorAssert.Close(F("bn.running_var"), bn.RunningVar);
        bn.Eval();
        TensorAssert.Close(F("bn.y_eval"), bn.Forward(F("bn.x")));
    }

    [Fact]
    public void SlogDetAndItsGradient()
    {
        var a = Leaf("linalg.a");
        var (sign, logAbsDet) = Linalg.SlogDet(a);
        logAbsDet.Backward();

        TensorAssert.Close(F("slogdet.sign"), sign);
        TensorAssert.Close(F("slogdet.logabsdet"), logAbsDet);
        TensorAssert.Close(F("slogdet.ga"), GradOf(a));
    }

    [Fact]
    public void LUFactorUnpackInverseQRAndTriangularSolve()
    {
        var a = F("linalg.a");
        var (lu, pivots) = Linalg.LUFactor(a);
        TensorAssert.Close(F("lu.LU"), lu);
        Assert.Equal(F("lu.pivots").ToArray<int>(), pivots.ToArray<int>());

        var (p, l, u) = Linalg.LUUnpack(lu, pivots);
        TensorAssert.Close(F("lu.P"), p);
        TensorAssert.Close(F("lu.L"), l);
        TensorAssert.Close(F("lu.U"), u);
        TensorAssert.Close(a, p.MatMul(l).MatMul(u));

        TensorAssert.Close(F("inverse.y"), Linalg.Inverse(a));
        var (q, r) = Linalg.QR(F("qr.a"));
        TensorAssert.Close(F("qr.Q"), q);
        TensorAssert.Close(F("qr.R"), r);
        TensorAssert.Close(F("tri.X"), Linalg.SolveTriangular(F("tri.A"), F("tri.B"), upper: true));
        TensorAssert.Close(Linalg.Triu(F("tri.A")), F("tri.A"));
        TensorAssert.Close(Linalg.Diag(Linalg.Diag(F("tri.A"))), Linalg.Tril(Linalg.Triu(F("tri.A"))));
    }

    [Fact]
    public void LossesAndTheirGradients()
    {
        var logits = Leaf("ce.logits");
        var ce = Functional.CrossEntropy(logits, F("ce.target"));
        ce.Backward();
        TensorAssert.Close(F("ce.loss"), ce);
        TensorAssert.Close(F("ce.glogits"), GradOf(logits));

        var x = Leaf("bce.x");
        var bce = Functional.BinaryCrossEntropyWithLogits(x, F("bce.t"));
        bce.Backward();
        TensorAssert.Close(F("bce.loss"), bce);
        TensorAssert.Close(F("bce.gx"), GradOf(x));

        var a = Leaf("mse.a");
        var mse = Functional.MseLoss(a, F("mse.b"));
        mse.Backward();
        TensorAssert.Close(F("mse.loss"), mse);
        TensorAssert.Close(F("mse.ga"), GradOf(a));

        TensorAssert.Close(F("logsoftmax.y"), Functional.LogSoftmax(F("logsoftmax.x"), 1));
    }

    [Fact]
    public void PointwiseFunctions()
    {
        var x = F("pw.x");
        var pos = F("pw.pos");
        TensorAssert.Close(F("pw.softplus"), x.Softplus());
        TensorAssert.Close(F("pw.sigmoid"), x.Sigmoid());
        TensorAssert.Close(F("pw.tanh"), x.Tanh());
        TensorAssert.Close(F("pw.atan"), x.Atan());
        TensorAssert.Close(F("pw.leaky_relu"), x.LeakyRelu(0.2));
        TensorAssert.Close(F("pw.relu"), x.Relu());
        TensorAssert.Close(F("pw.exp"), x.Exp());
        TensorAssert.Close(F("pw.log"), pos.Log());
        TensorAssert.Close(F("pw.sqrt"), pos.Sqrt());
        TensorAssert.Close(F("pw.pow2_5"), pos.Pow(2.5));
    }

    [Fact]
    public void Reductions()
    {
        var x = F("red.x");
        TensorAssert.Close(F("red.sum_dim1"), x.Sum([1]));
        TensorAssert.Close(F("red.mean_dim2_keep"), x.Mean([2], keepDim: true));
        TensorAssert.Close(F("red.std_dim2"), x.Std([2]));
        TensorAssert.Close(F("red.var_dim02"), x.Var([0, 2]));
        TensorAssert.Close(F("red.logsumexp_dim1"), x.LogSumExp([1]));
        var (values, indices) = x.MaxAlong(1);
        TensorAssert.Close(F("red.max_dim1_values"), values);
        Assert.Equal(F("red.max_dim1_indices").ToArray<long>(), indices.ToArray<long>());
        Assert.Equal(F("red.argmax_dim2").ToArray<long>(), x.ArgMax(2).ToArray<long>());
    }

    [Fact]
    public void PoolingAndInterpolation()
    {
        var x = F("pool.x");
        TensorAssert.Close(F("pool.avg2"), Functional.AvgPool2d(x, 2));
        TensorAssert.Close(F("pool.nearest2x"), Functional.Interpolate(x, 12, 12));
        TensorAssert.Close(F("pool.bilinear_7x9"), Functional.Interpolate(x, 7, 9, InterpolationMode.Bilinear));
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("adam_wd")]
    [InlineData("adamax")]
    public void OptimizerStepsMatchTorchOptim(string kind)
    {
        var prefix = kind == "adamax" ? "adamax" : "adam";
        var parameter = F($"{prefix}.p0").Clone().RequiresGrad_().DetachFromScope();
        using var optimizer = kind switch
        {
            "adam" => (Optimizer)new Adam([parameter], 1e-2),
            "adam_wd" => new Adam([parameter], 1e-2, weightDecay: 0.1),
            _ => new Adamax([parameter], 2e-3),
        };
        var grads = F($"{prefix}.grads");
        var expected = F($"{kind}.p");
        for (var step = 0; step < 3; step++)
        {
            optimizer.ZeroGrad();
            (parameter * grads.Select(0, step)).Sum().Backward(); // d/dp = the fixture gradient
            optimizer.Step();
            TensorAssert.Close(expected.Select(0, step), parameter, atol: 1e-6, rtol: 1e-5);
        }

        parameter.Dispose();
    }
}
