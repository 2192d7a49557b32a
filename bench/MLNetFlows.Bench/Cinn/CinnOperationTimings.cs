using System.Globalization;
using MLNetFlows.Models.Cinn;
using MLNetFlows.Models.Flows;
using MLNetFlows.Models.Glow;
using MLNetFlows.Models.Runtime;
using MLNetFlows.Transforms.Datasets;
using static TorchSharp.torch;

namespace MLNetFlows.Bench.Cinn;

/// <summary>
/// Where the class-conditional INN's training step spends its time, on one thread, in thread CPU time (libtorch runs every
/// op, backward included, on the calling thread with one thread, so other processes change these figures far less than
/// wall-clock time): the phases of the training step the library runs (input preparation, forward, backward, gradient
/// clipping, Adam); the element-wise pieces of a coupling and two alternatives to oneDNN's convolutions (1×1 as a matrix
/// product, a 2-channel 3×3 as im2col + matrix product; both measured slower here); single blocks and a block-by-block
/// forward; then every convolution shape of a forward timed alone, forward plus backward, in channels-last and NCHW
/// layout. Prints one JSON line per figure. --retain applies <see cref="NativeHeap.RetainFreedMemory"/> (as the training
/// loop does), --flush flushes denormals.
/// Usage: MLNetFlows.Bench cinn ops [--batch B] [--steps N] [--retain] [--flush].
/// </summary>
internal static class CinnOperationTimings
{
    private const int Images = 2048;

    public static int Run(string[] args)
    {
        var (batch, steps) = (64, 20);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--batch" when i + 1 < args.Length: batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--steps" when i + 1 < args.Length: steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--flush": TorchRuntime.SetFlushDenormal(true); break;
                case "--retain": NativeHeap.RetainFreedMemory(); break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: MLNetFlows.Bench cinn ops [--batch B] [--steps N] [--retain] [--flush]");
                    return 2;
            }
        }

        TorchRuntime.EnsureInitialized();
        set_num_threads(1);
        var (images, labels) = FashionMnist.LoadRaw(FashionMnistSplit.Train);
        using var pixels = tensor(images.Pixels[..(Images * 784)].ToArray(), [Images, 1, 28, 28]);
        using var classes = tensor(labels.AsSpan(0, Images).ToArray().Select(l => (long)l).ToArray());
        var architecture = new ConditionalInnArchitecture { Channels = 1, Height = 28, Width = 28, NumberOfClasses = 10 };
        manual_seed(1);
        using var model = new ConditionalInnModel(architecture);
        model.train();
        var parameters = model.parameters().ToList();
        using var optimizer = optim.Adam(parameters, 1e-3, weight_decay: 1e-5);
        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        var shapes = new List<ConvolutionShape>();
        for (var step = 0; step < steps + 3; step++)
        {
            var measured = step >= 3;
            if (step == 3)
            {
                FlowExecution.Observer = shapes.Add;
            }

            using var scope = NewDisposeScope();
            var t0 = ThreadCpuClock.Seconds();
            var rows = randint(0, Images, [batch]);
            var x = GlowInput.Prepare(pixels.index_select(0, rows).to(ScalarType.Float32), 8, 28, 28, dequantize: true);
            x = x.add(randn_like(x).mul(Scalars.Of(0.005)), Scalars.One);
            var t1 = ThreadCpuClock.Seconds();
            using var density = model.Evaluate(x, classes.index_select(0, rows));
            var loss = GlowInput.BitsPerDim(density.LogDensity, 784, 784, 8).mean();
            _ = loss.item<float>();
            var t2 = ThreadCpuClock.Seconds();
            FlowExecution.Observer = null;
            optimizer.zero_grad();
            loss.backward();
            var t3 = ThreadCpuClock.Seconds();
            nn.utils.clip_grad_norm_(parameters, 10);
            var t4 = ThreadCpuClock.Seconds();
            optimizer.step();
            var t5 = ThreadCpuClock.Seconds();
            if (measured)
            {
                Add(phases, "input", t1 - t0);
                Add(phases, "forward", t2 - t1);
                Add(phases, "backward", t3 - t2);
                Add(phases, "clip", t4 - t3);
                Add(phases, "adam", t5 - t4);
                Add(phases, "step", t5 - t0);
            }
        }

        foreach (var (name, seconds) in phases)
        {
            Emit($"\"op\":\"phase\",\"name\":\"{name}\",\"batch\":{batch},\"ms_per_step\":{seconds * 1000 / steps:F2}");
        }

        TimePieces(batch);
        TimeBlocks(batch);
        using (var scope = NewDisposeScope())
        {
            var rows = randint(0, Images, [batch]);
            var x = GlowInput.Prepare(pixels.index_select(0, rows).to(ScalarType.Float32), 8, 28, 28, dequantize: true);
            var labelsOfRows = classes.index_select(0, rows);
            Emit($"\"op\":\"model\",\"name\":\"forward_grad\",\"us\":{ThreadCpuClock.Microseconds(() => { using var s = NewDisposeScope(); model.Evaluate(x, labelsOfRows).Dispose(); }):F1}");
            Emit($"\"op\":\"model\",\"name\":\"forward_backward\",\"us\":{ThreadCpuClock.Microseconds(() => { using var s = NewDisposeScope(); using var d = model.Evaluate(x, labelsOfRows); d.LogDensity.mean().backward(); }):F1}");
            TimeChain(batch, x, labelsOfRows);
            using (no_grad())
            {
                Emit($"\"op\":\"model\",\"name\":\"forward_no_grad\",\"us\":{ThreadCpuClock.Microseconds(() => { using var s = NewDisposeScope(); model.Evaluate(x, labelsOfRows).Dispose(); }):F1}");
            }
        }

        Emit($"\"op\":\"train_images_per_cpu_s\",\"batch\":{batch},\"value\":{batch * steps / phases["step"]:F1}");
        foreach (var group in shapes.GroupBy(s => s).OrderByDescending(g => g.Key.InChannels * g.Key.OutChannels * g.Key.Kernel * g.Key.Kernel * g.Key.Height * g.Key.Width))
        {
            var shape = group.Key;
            // The condition response convolves the K class maps (batch K), everything else the batch.
            var rows = shape.InChannels == architecture.NumberOfClasses ? architecture.NumberOfClasses : batch;
            foreach (var layout in (ReadOnlySpan<string>)["channels_last", "nchw"])
            {
                var (forward, both) = TimeConvolution(shape, rows, layout);
                Emit($"\"op\":\"conv\",\"rows\":{rows},\"in\":{shape.InChannels},\"out\":{shape.OutChannels},\"kernel\":{shape.Kernel},\"height\":{shape.Height},\"width\":{shape.Width},\"layout\":\"{layout}\",\"calls_per_step\":{group.Count()},\"forward_us\":{forward:F1},\"forward_backward_us\":{both:F1}");
            }
        }

        return 0;
    }

    /// <summary>Forward (with autograd recording, as in training) of each block of level 0 alone.</summary>
    private static void TimeBlocks(int batch)
    {
        using var scope = NewDisposeScope();
        using var haar = new HaarDownsampling(1, 28, 28);
        using var coupling = new ConditionalGlowCoupling(4, 14, 14, 64, 10);
        using var mixing = new FixedOrthogonalMixing(4, 14, 14);
        var x = randn(batch, 1, 28, 28);
        var h = randn(batch, 4, 14, 14).requires_grad_(true);
        var maps = randn(10, 10, 1, 1).expand(10, 10, 14, 14);
        var labels = randint(0, 10, [batch]);
        Emit($"\"op\":\"block\",\"name\":\"haar\",\"us\":{ThreadCpuClock.Microseconds(() => { using var s = NewDisposeScope(); haar.Forward(x); }):F1}");
        Emit($"\"op\":\"block\",\"name\":\"coupling_for_classes\",\"us\":{ThreadCpuClock.Microseconds(() => { using var s = NewDisposeScope(); coupling.ForwardForClasses(h, maps, labels); }):F1}");
        Emit($"\"op\":\"block\",\"name\":\"mixing\",\"us\":{ThreadCpuClock.Microseconds(() => { using var s = NewDisposeScope(); mixing.Forward(h); }):F1}");
        var cl = FlowExecution.ToChannelsLast(h.detach()).requires_grad_(true);
        Emit($"\"op\":\"block\",\"name\":\"coupling_for_classes_cl_input\",\"us\":{ThreadCpuClock.Microseconds(() => { using var s = NewDisposeScope(); coupling.ForwardForClasses(cl, maps, labels); }):F1}");
        Emit($"\"op\":\"block\",\"name\":\"mixing_cl_input\",\"us\":{ThreadCpuClock.Microseconds(() => { using var s = NewDisposeScope(); mixing.Forward(cl); }):F1}");
    }

    /// <summary>A forward like the model's with every block's thread CPU time summed by kind (grad on).</summary>
    private static void TimeChain(int batch, Tensor x, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var architecture = new ConditionalInnArchitecture { Channels = 1, Height = 28, Width = 28, NumberOfClasses = 10 };
        using var encoder = new ClassConditionEncoder(architecture);
        var times = new Dictionary<string, double>(StringComparer.Ordinal);
        var classIndices = arange(0L, 10L, 1L);
        var haar0 = new HaarDownsampling(1, 28, 28);
        var haar1 = new HaarDownsampling(2, 14, 14);
        var couplings = new[] { Enumerable.Range(0, 4).Select(_ => new ConditionalGlowCoupling(4, 14, 14, 64, 10)).ToArray(), Enumerable.Range(0, 4).Select(_ => new ConditionalGlowCoupling(8, 7, 7, 64, 10)).ToArray() };
        var mixings = new[] { Enumerable.Range(0, 4).Select(_ => new FixedOrthogonalMixing(4, 14, 14)).ToArray(), Enumerable.Range(0, 4).Select(_ => new FixedOrthogonalMixing(8, 7, 7)).ToArray() };
        for (var round = 0; round < 8; round++)
        {
            using var inner = NewDisposeScope();
            var t = ThreadCpuClock.Seconds();
            void Mark(string name)
            {
                var now = ThreadCpuClock.Seconds();
                if (round >= 3)
                {
                    times[name] = times.GetValueOrDefault(name) + (now - t);
                }

                t = now;
            }

            var maps = encoder.Encode(classIndices, x);
            Mark("encode");
            var h = x;
            var logDet = zeros(batch);
            for (var level = 0; level < 2; level++)
            {
                (h, var d) = (level == 0 ? haar0 : haar1).Forward(h);
                Mark($"haar{level}");
                for (var k = 0; k < 4; k++)
                {
                    (h, var cd) = couplings[level][k].ForwardForClasses(h, maps[level], labels);
                    Mark($"coupling{level}");
                    (h, var md) = mixings[level][k].Forward(h);
                    Mark($"mixing{level}");
                    logDet = logDet.add(cd, Scalars.One).add(md, Scalars.One);
                }

                if (level == 0)
                {
                    h = h.narrow(1, 0, 2);
                }
            }

            Mark("rest");
        }

        foreach (var (name, seconds) in times)
        {
            Emit($"\"op\":\"chain\",\"name\":\"{name}\",\"ms\":{seconds * 1000 / 5:F2}");
        }
    }

    /// <summary>The element-wise pieces of a level-0 coupling, alone.</summary>
    private static void TimePieces(int batch)
    {
        using var scope = NewDisposeScope();
        var labels = randint(0, 10, [batch]);
        var response = FlowExecution.ToChannelsLast(randn(10, 64, 14, 14));
        var convOut = FlowExecution.ToChannelsLast(randn(batch, 64, 14, 14));
        void Time(string name, Action action) => Emit($"\"op\":\"piece\",\"name\":\"{name}\",\"us\":{ThreadCpuClock.Microseconds(action):F1}");
        Time("index_select_cl", () => { using var s = NewDisposeScope(); response.index_select(0, labels); });
        var gathered = response.index_select(0, labels);
        Emit($"\"op\":\"piece\",\"name\":\"index_select_cl_output_is_cl\",\"value\":{FlowExecution.HasChannelsLastStrides(gathered).ToString().ToLowerInvariant()}");
        Time("add_mixed", () => { using var s = NewDisposeScope(); convOut.add(gathered, Scalars.One); });
        Time("index_select_nhwc", () => { using var s = NewDisposeScope(); response.permute(0, 2, 3, 1).index_select(0, labels).permute(0, 3, 1, 2); });
        var gatheredCl = response.permute(0, 2, 3, 1).index_select(0, labels).permute(0, 3, 1, 2);
        Time("add_same_layout", () => { using var s = NewDisposeScope(); convOut.add(gatheredCl, Scalars.One); });
        Time("relu", () => { using var s = NewDisposeScope(); convOut.relu(); });
        Time("index_add_backward_like", () => { using var s = NewDisposeScope(); zeros(10, 64, 14, 14).index_add_(0, labels, convOut, Scalars.One); });
        Time("index_add_nhwc", () => { using var s = NewDisposeScope(); zeros(10, 14, 14, 64).index_add_(0, labels, convOut.permute(0, 2, 3, 1), Scalars.One); });
        var hidden = FlowExecution.ToChannelsLast(randn(batch, 64, 14, 14)).requires_grad_(true);
        var w11 = randn(64, 64, 1, 1).mul_(Scalars.Of(0.1)).requires_grad_(true);
        var b11 = zeros(64).requires_grad_(true);
        Time("conv1x1_fb", () => { using var s = NewDisposeScope(); var y = nn.functional.conv2d(hidden, w11, b11); y.backward([ones_like(y)]); });
        Time("matmul1x1_fb", () =>
        {
            using var s = NewDisposeScope();
            var rows = hidden.permute(0, 2, 3, 1).reshape(-1, 64);
            var y = addmm(b11, rows, w11.view(64, 64).t(), 1, 1).view(batch, 14, 14, 64).permute(0, 3, 1, 2);
            y.backward([ones_like(y)]);
        });
        var seen = FlowExecution.ToChannelsLast(randn(batch, 2, 14, 14)).requires_grad_(true);
        var w3 = randn(64, 2, 3, 3).mul_(Scalars.Of(0.1)).requires_grad_(true);
        Time("conv3x3_in2_fb", () => { using var s = NewDisposeScope(); var y = nn.functional.conv2d(seen, w3, b11, padding: [1, 1]); y.backward([ones_like(y)]); });
        Time("im2col3x3_in2_fb", () =>
        {
            using var s = NewDisposeScope();
            var padded = nn.functional.pad(seen.permute(0, 2, 3, 1), [0, 0, 1, 1, 1, 1]);
            var taps = new List<Tensor>();
            for (var dy = 0; dy < 3; dy++)
            {
                for (var dx = 0; dx < 3; dx++)
                {
                    taps.Add(padded.narrow(1, dy, 14).narrow(2, dx, 14));
                }
            }

            var columns = cat(taps, 3).view(-1, 18);
            var y = addmm(b11, columns, w3.permute(0, 2, 3, 1).reshape(64, 18).t(), 1, 1).view(batch, 14, 14, 64).permute(0, 3, 1, 2);
            y.backward([ones_like(y)]);
        });
        var w34 = randn(4, 64, 3, 3).mul_(Scalars.Of(0.1)).requires_grad_(true);
        var b4 = zeros(4).requires_grad_(true);
        Time("conv3x3_out4_fb", () => { using var s = NewDisposeScope(); var y = nn.functional.conv2d(hidden, w34, b4, padding: [1, 1]); y.backward([ones_like(y)]); });
        var small = FlowExecution.ToChannelsLast(randn(batch, 4, 14, 14));
        Time("narrow_to_cl", () => { using var s = NewDisposeScope(); FlowExecution.ToChannelsLast(small.narrow(1, 2, 2)); });
        Time("soft_clamp", () => { using var s = NewDisposeScope(); small.narrow(1, 0, 2).mul(Scalars.Of(0.5)).atan().mul_(Scalars.Of(1.2)).exp(); });
        Time("cat", () => { using var s = NewDisposeScope(); cat([small.narrow(1, 0, 2), small.narrow(1, 2, 2)], 1); });
    }

    private static void Add(Dictionary<string, double> phases, string name, double seconds) =>
        phases[name] = phases.GetValueOrDefault(name) + seconds;

    private static (double Forward, double ForwardBackward) TimeConvolution(ConvolutionShape shape, long rows, string layout)
    {
        using var scope = NewDisposeScope();
        var input = randn(rows, shape.InChannels, shape.Height, shape.Width);
        if (layout != "nchw")
        {
            input = FlowExecution.ToChannelsLast(input);
        }

        input.requires_grad_(true);
        var weight = randn(shape.OutChannels, shape.InChannels, shape.Kernel, shape.Kernel).mul_(Scalars.Of(0.05)).requires_grad_(true);
        var bias = zeros(shape.OutChannels).requires_grad_(true);
        var padding = shape.Kernel / 2;
        var forward = ThreadCpuClock.Microseconds(() =>
        {
            using var inner = NewDisposeScope();
            using var noGrad = no_grad();
            nn.functional.conv2d(input, weight, bias, padding: [padding, padding]);
        });
        var both = ThreadCpuClock.Microseconds(() =>
        {
            using var inner = NewDisposeScope();
            var output = nn.functional.conv2d(input, weight, bias, padding: [padding, padding]);
            output.backward([ones_like(output)]);
        });
        return (forward, both);
    }

    private static void Emit(FormattableString fields) =>
        Console.WriteLine("{\"side\":\"mlnetflows\"," + FormattableString.Invariant(fields) + "}");
}
