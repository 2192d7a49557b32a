#!/usr/bin/python3
"""Golden parity fixtures for the MLNetFlows.Torch tests.

Computes reference inputs/outputs/gradients with PyTorch (Debian's python3-torch, libtorch 1.13) for the ops the
C# binding wraps (conv, conv-transpose, linear, batch norm, linalg, losses, pointwise, reductions, pooling/resize,
Adam/Adamax) and writes them to parity.safetensors next to this script. The file is written by a small safetensors
writer in this script (the Python `safetensors` package is not used) and read back by an independent reader (json +
struct only) that must reproduce every tensor bit for bit.

Regenerate: /usr/bin/python3 tests/MLNetFlows.Torch.Tests/Fixtures/make_parity_fixtures.py
(run from the repo root; paths are resolved relative to this file, so any working directory works).

Conventions:
  * every tensor is float32 unless noted; integer tensors are I64 except lu.pivots (I32, as torch.linalg.lu_factor
    returns it, 1-based LAPACK pivots);
  * "g<name>" tensors are gradients of sum(y * gy) with respect to <name>, where gy is the stored random `*.gy`;
    loss gradients (ce.glogits, bce.gx, mse.ga) and slogdet.ga are gradients of the scalar itself;
  * 0-d tensors (losses, slogdet) have shape [];
  * the hyper-parameters used are recorded as strings in the file's __metadata__.
"""

import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

SEED = 20261123
GENERATOR = "make_parity_fixtures.py"
HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "parity.safetensors")
MAX_BYTES = 200 * 1024

# dtype name <-> (torch dtype, little-endian numpy dtype, struct format, element size)
DTYPES = {
    "F32": (torch.float32, "<f4", "f", 4),
    "F64": (torch.float64, "<f8", "d", 8),
    "I64": (torch.int64, "<i8", "q", 8),
    "I32": (torch.int32, "<i4", "i", 4),
    "U8": (torch.uint8, "u1", "B", 1),
    "BOOL": (torch.bool, "?", "?", 1),
}
TORCH_TO_NAME = {v[0]: k for k, v in DTYPES.items()}


# ----------------------------------------------------------------------------------------------------------------
# safetensors writer
# ----------------------------------------------------------------------------------------------------------------
def write_safetensors(path, tensors, metadata):
    """tensors: dict name -> torch.Tensor (insertion order = header order = data order); metadata: dict str -> str."""
    header = {}
    chunks = []
    offset = 0
    for name, t in tensors.items():
        if name == "__metadata__":
            raise ValueError("'__metadata__' is reserved")
        dtype_name = TORCH_TO_NAME[t.dtype]
        data = t.detach().cpu().contiguous().numpy().astype(DTYPES[dtype_name][1], copy=False).tobytes(order="C")
        assert len(data) == t.numel() * DTYPES[dtype_name][3]
        header[name] = {"dtype": dtype_name, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())
    header["__metadata__"] = dict(metadata)
    header_bytes = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header_bytes)))
        f.write(header_bytes)
        for chunk in chunks:
            f.write(chunk)


# ----------------------------------------------------------------------------------------------------------------
# independent reader (json + struct only; no numpy, no torch)
# ----------------------------------------------------------------------------------------------------------------
def read_safetensors(path):
    """Returns (header_order, {name: (dtype_name, shape, flat python values)}, metadata), validating the layout."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack_from("<Q", blob, 0)
    assert n % 8 == 0, "header length must be a multiple of 8"
    assert 8 + n <= len(blob)
    header_text = blob[8 : 8 + n].decode("utf-8")
    assert header_text == header_text.rstrip(" ") + " " * (len(header_text) - len(header_text.rstrip(" ")))
    pairs = json.loads(header_text, object_pairs_hook=lambda kv: kv)
    assert len({k for k, _ in pairs}) == len(pairs), "duplicate keys in header"
    buffer = blob[8 + n :]
    metadata = {}
    order = []
    entries = {}
    position = 0
    for name, info in pairs:
        if name == "__metadata__":
            metadata = dict(info)
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())
            continue
        info = dict(info)
        assert set(info) == {"dtype", "shape", "data_offsets"}, info
        dtype_name, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        fmt, size = DTYPES[dtype_name][2], DTYPES[dtype_name][3]
        count = 1
        for d in shape:
            assert isinstance(d, int) and d >= 0
            count *= d
        assert begin == position, f"{name}: offsets must tile the buffer in header order"
        assert end - begin == count * size, f"{name}: byte size mismatch"
        values = list(struct.unpack_from("<%d%s" % (count, fmt), buffer, begin))
        position = end
        order.append(name)
        entries[name] = (dtype_name, shape, values)
    assert position == len(buffer), "trailing bytes after the last tensor"
    return order, entries, metadata


def check_round_trip(path, tensors, metadata):
    order, entries, meta = read_safetensors(path)
    assert order == list(tensors), "header order differs"
    assert meta == metadata, "metadata differs"
    for name, t in tensors.items():
        dtype_name, shape, values = entries[name]
        assert dtype_name == TORCH_TO_NAME[t.dtype], name
        assert shape == list(t.shape), name
        expected = t.detach().cpu().contiguous().reshape(-1).tolist()
        if t.dtype.is_floating_point:
            # compare bit patterns, so -0.0 vs 0.0 (and any NaN payloads) would be caught too
            fmt = DTYPES[dtype_name][2]
            got_bits = struct.pack("<%d%s" % (len(values), fmt), *values)
            exp_bits = struct.pack("<%d%s" % (len(expected), fmt), *expected)
            assert got_bits == exp_bits, name
        else:
            assert values == expected, name
        # and back into torch: exact equality
        back = torch.tensor(values, dtype=t.dtype).reshape(shape)
        assert torch.equal(back, t.detach()), name


# ----------------------------------------------------------------------------------------------------------------
# fixtures
# ----------------------------------------------------------------------------------------------------------------
def leaf(t):
    return t.detach().clone().requires_grad_(True)


def build():
    torch.manual_seed(SEED)
    out = {}
    meta = {}

    # ---- conv2d (stride 1, padding 1, dilation 1, groups 1) ----
    x, w, b = leaf(torch.randn(2, 3, 8, 8)), leaf(torch.randn(4, 3, 3, 3) * 0.3), leaf(torch.randn(4) * 0.1)
    y = F.conv2d(x, w, b, stride=1, padding=1, dilation=1, groups=1)
    gy = torch.randn_like(y)
    (y * gy).sum().backward()
    out.update({"conv2d.x": x, "conv2d.w": w, "conv2d.b": b, "conv2d.y": y, "conv2d.gy": gy,
                "conv2d.gx": x.grad, "conv2d.gw": w.grad, "conv2d.gb": b.grad})
    meta["conv2d"] = "F.conv2d stride=1 padding=1 dilation=1 groups=1; gx/gw/gb = grad of sum(y*gy)"

    # ---- conv2d strided, no bias ----
    x, w = torch.randn(2, 3, 9, 9), torch.randn(5, 3, 3, 3) * 0.3
    y = F.conv2d(x, w, None, stride=2, padding=1)
    out.update({"conv2d_s2.x": x, "conv2d_s2.w": w, "conv2d_s2.y": y})
    meta["conv2d_s2"] = "F.conv2d bias=None stride=2 padding=1 dilation=1 groups=1"

    # ---- conv_transpose2d ----
    x, w, b = leaf(torch.randn(2, 4, 5, 5)), leaf(torch.randn(4, 3, 4, 4) * 0.3), leaf(torch.randn(3) * 0.1)
    y = F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=0, groups=1, dilation=1)
    assert y.shape == (2, 3, 10, 10)
    gy = torch.randn_like(y)
    (y * gy).sum().backward()
    out.update({"convt.x": x, "convt.w": w, "convt.b": b, "convt.y": y, "convt.gy": gy,
                "convt.gx": x.grad, "convt.gw": w.grad, "convt.gb": b.grad})
    meta["convt"] = ("F.conv_transpose2d stride=2 padding=1 output_padding=0 groups=1 dilation=1; "
                     "w is [in=4, out=3, 4, 4]; grads of sum(y*gy)")

    # ---- linear ----
    x, w, b = leaf(torch.randn(5, 7)), leaf(torch.randn(3, 7) * 0.4), leaf(torch.randn(3) * 0.1)
    y = F.linear(x, w, b)
    gy = torch.randn_like(y)
    (y * gy).sum().backward()
    out.update({"linear.x": x, "linear.w": w, "linear.b": b, "linear.y": y, "linear.gy": gy,
                "linear.gx": x.grad, "linear.gw": w.grad, "linear.gb": b.grad})
    meta["linear"] = "F.linear y = x @ w.T + b; grads of sum(y*gy)"

    # ---- batch_norm ----
    x = leaf(torch.randn(4, 3, 5, 5) * 2 + 1)
    weight, bias = leaf(torch.rand(3) + 0.5), leaf(torch.randn(3) * 0.2)
    running_mean, running_var = torch.zeros(3), torch.ones(3)
    y_train = F.batch_norm(x, running_mean, running_var, weight, bias, training=True, momentum=0.1, eps=1e-5)
    gy = torch.randn_like(y_train)
    (y_train * gy).sum().backward()
    with torch.no_grad():
        y_eval = F.batch_norm(x, running_mean, running_var, weight, bias, training=False, momentum=0.1, eps=1e-5)
    out.update({"bn.x": x, "bn.weight": weight, "bn.bias": bias, "bn.y_train": y_train,
                "bn.running_mean": running_mean, "bn.running_var": running_var, "bn.gy": gy,
                "bn.gx": x.grad, "bn.gweight": weight.grad, "bn.gbias": bias.grad, "bn.y_eval": y_eval})
    meta["bn"] = ("F.batch_norm momentum=0.1 eps=1e-5; running_mean starts zeros, running_var ones; "
                  "bn.running_* are after ONE training call (running_var uses the unbiased batch variance); "
                  "grads of sum(y_train*gy); y_eval = eval mode with the updated running stats on the same x")

    # ---- linalg ----
    # randn + 3*I is well conditioned but diagonally dominant enough that LU would not pivot (P = I); an odd row
    # permutation keeps the singular values (so the conditioning) and makes the pivots non-trivial and sign = -1.
    a = leaf((torch.randn(5, 5) + 3 * torch.eye(5))[[1, 0, 4, 2, 3]])
    sign, logabsdet = torch.linalg.slogdet(a)
    logabsdet.backward()
    lu, pivots = torch.linalg.lu_factor(a.detach())
    assert pivots.dtype == torch.int32
    P, L, U = torch.lu_unpack(lu, pivots)
    inv = torch.linalg.inv(a.detach())
    qa = torch.randn(5, 4)
    Q, R = torch.linalg.qr(qa, mode="reduced")
    A = torch.triu(torch.randn(4, 4) * 0.5, diagonal=1) + torch.diag(torch.rand(4) + 1.5)
    B = torch.randn(4, 2)
    X = torch.linalg.solve_triangular(A, B, upper=True)
    out.update({"linalg.a": a, "slogdet.sign": sign, "slogdet.logabsdet": logabsdet, "slogdet.ga": a.grad,
                "lu.LU": lu, "lu.pivots": pivots, "lu.P": P, "lu.L": L, "lu.U": U, "inverse.y": inv,
                "qr.a": qa, "qr.Q": Q, "qr.R": R, "tri.A": A, "tri.B": B, "tri.X": X})
    meta["linalg"] = ("linalg.a = (randn(5,5) + 3*I)[[1,0,4,2,3]] (odd row permutation: non-trivial pivots); slogdet.ga = d logabsdet / d a; "
                      "lu.* from torch.linalg.lu_factor(a) (pivots I32, 1-based LAPACK) + torch.lu_unpack; "
                      "inverse.y = torch.linalg.inv(a); qr.* = torch.linalg.qr(qr.a, mode='reduced') (LAPACK "
                      "Householder sign convention); tri.X = torch.linalg.solve_triangular(tri.A, tri.B, upper=True, "
                      "left=True, unitriangular=False)")

    # ---- losses ----
    logits = leaf(torch.randn(6, 5) * 1.5)
    target = torch.randint(0, 5, (6,), dtype=torch.int64)
    ce = F.cross_entropy(logits, target, reduction="mean")
    ce.backward()
    bx = leaf(torch.randn(6, 4) * 2)
    bt = torch.rand(6, 4)
    bce = F.binary_cross_entropy_with_logits(bx, bt, reduction="mean")
    bce.backward()
    ma, mb = leaf(torch.randn(6, 4)), torch.randn(6, 4)
    mse = F.mse_loss(ma, mb, reduction="mean")
    mse.backward()
    lx = torch.randn(3, 5) * 2
    ly = F.log_softmax(lx, dim=1)
    out.update({"ce.logits": logits, "ce.target": target, "ce.loss": ce, "ce.glogits": logits.grad,
                "bce.x": bx, "bce.t": bt, "bce.loss": bce, "bce.gx": bx.grad,
                "mse.a": ma, "mse.b": mb, "mse.loss": mse, "mse.ga": ma.grad,
                "logsoftmax.x": lx, "logsoftmax.y": ly})
    meta["losses"] = ("ce = F.cross_entropy(logits, target I64 class indices, reduction=mean); "
                      "bce = F.binary_cross_entropy_with_logits(x = LOGITS, t in [0,1], reduction=mean); "
                      "mse = F.mse_loss(a, b, reduction=mean); gradients are of the loss itself (wrt the first "
                      "argument); logsoftmax.y = F.log_softmax(x, dim=1)")

    # ---- pointwise ----
    px = torch.linspace(-6, 6, 24) + (torch.rand(24) - 0.5) * 0.2
    pos = torch.rand(24) * 5 + 0.05
    out.update({"pw.x": px, "pw.softplus": F.softplus(px), "pw.sigmoid": torch.sigmoid(px),
                "pw.tanh": torch.tanh(px), "pw.atan": torch.atan(px),
                "pw.leaky_relu": F.leaky_relu(px, negative_slope=0.2), "pw.relu": F.relu(px),
                "pw.exp": torch.exp(px), "pw.pos": pos, "pw.log": torch.log(pos), "pw.sqrt": torch.sqrt(pos),
                "pw.pow2_5": pos ** 2.5})
    meta["pointwise"] = ("pw.x = linspace(-6,6,24) + small jitter; softplus beta=1 threshold=20; leaky_relu slope=0.2; "
                         "pw.pos = rand*5+0.05; pow2_5 = pos**2.5")

    # ---- reductions ----
    rx = torch.randn(3, 4, 5)
    max_values, max_indices = torch.max(rx, dim=1)
    out.update({"red.x": rx, "red.sum_dim1": rx.sum(dim=1), "red.mean_dim2_keep": rx.mean(dim=2, keepdim=True),
                "red.std_dim2": rx.std(dim=2, unbiased=True), "red.var_dim02": rx.var(dim=(0, 2), unbiased=True),
                "red.logsumexp_dim1": torch.logsumexp(rx, dim=1), "red.max_dim1_values": max_values,
                "red.max_dim1_indices": max_indices, "red.argmax_dim2": torch.argmax(rx, dim=2)})
    meta["reductions"] = ("std/var unbiased (correction 1); var_dim02 over dims (0,2); keepdim False except "
                          "mean_dim2_keep; max/argmax indices are I64")

    # ---- pooling / resize ----
    px4 = torch.randn(1, 2, 6, 6)
    out.update({"pool.x": px4, "pool.avg2": F.avg_pool2d(px4, kernel_size=2, stride=2),
                "pool.nearest2x": F.interpolate(px4, scale_factor=2, mode="nearest"),
                "pool.bilinear_7x9": F.interpolate(px4, size=(7, 9), mode="bilinear", align_corners=False)})
    meta["pooling"] = ("avg_pool2d kernel=2 stride=2 padding=0 ceil_mode=False count_include_pad=True; "
                       "interpolate scale_factor=2 mode=nearest (-> 12x12); interpolate size=(7,9) mode=bilinear "
                       "align_corners=False")

    # ---- optimizers ----
    def run(opt_cls, p0, grads, **kwargs):
        p = torch.nn.Parameter(p0.clone())
        opt = opt_cls([p], **kwargs)
        states = []
        for g in grads:
            p.grad = g.clone()
            opt.step()
            states.append(p.detach().clone())
        return torch.stack(states)

    adam_p0, adam_grads = torch.randn(4, 3), torch.randn(3, 4, 3)
    adamax_p0, adamax_grads = torch.randn(4, 3), torch.randn(3, 4, 3)
    out.update({"adam.p0": adam_p0, "adam.grads": adam_grads,
                "adam.p": run(torch.optim.Adam, adam_p0, adam_grads, lr=1e-2, betas=(0.9, 0.999), eps=1e-8,
                              weight_decay=0),
                "adamax.p0": adamax_p0, "adamax.grads": adamax_grads,
                "adamax.p": run(torch.optim.Adamax, adamax_p0, adamax_grads, lr=2e-3, betas=(0.9, 0.999), eps=1e-8,
                                weight_decay=0),
                "adam_wd.p": run(torch.optim.Adam, adam_p0, adam_grads, lr=1e-2, betas=(0.9, 0.999), eps=1e-8,
                                 weight_decay=0.1)})
    meta["adam"] = ("torch.optim.Adam lr=1e-2 betas=(0.9,0.999) eps=1e-8 weight_decay=0 amsgrad=False; "
                    "adam.p[k] = parameter after step k+1 with p.grad = adam.grads[k]")
    meta["adamax"] = "torch.optim.Adamax lr=2e-3 betas=(0.9,0.999) eps=1e-8 weight_decay=0; same protocol as adam"
    meta["adam_wd"] = ("torch.optim.Adam lr=1e-2 betas=(0.9,0.999) eps=1e-8 weight_decay=0.1 (L2 added to the "
                       "gradient, not AdamW) on adam.p0 / adam.grads")

    tensors = {}
    for name, t in out.items():
        t = t.detach().clone().contiguous()
        if t.dtype not in (torch.int64, torch.int32):
            assert t.dtype == torch.float32, name
            assert torch.isfinite(t).all(), name
        tensors[name] = t
    return tensors, meta


def main():
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    tensors, meta = build()
    metadata = {"generator": GENERATOR, "torch": torch.__version__, "seed": str(SEED), "dtype": "float32",
                "num_threads": "1"}
    metadata.update(meta)
    write_safetensors(OUTPUT, tensors, metadata)
    check_round_trip(OUTPUT, tensors, metadata)
    size = os.path.getsize(OUTPUT)
    assert size < MAX_BYTES, f"{OUTPUT} is {size} bytes (limit {MAX_BYTES})"
    for name, t in tensors.items():
        print(f"{name:24s} {TORCH_TO_NAME[t.dtype]:4s} {list(t.shape)}")
    print(f"wrote {len(tensors)} tensors, {size} bytes to {os.path.relpath(OUTPUT)} (torch {torch.__version__}); "
          f"round trip OK", file=sys.stderr)


if __name__ == "__main__":
    main()
