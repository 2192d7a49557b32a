#!/usr/bin/python3
"""Golden optimizer fixtures for the MLNetFlows.Trainers tests (OptimizerParityTests).

Runs torch.optim.Adamax, torch.optim.Adam (with a learning rate changed between steps through param_groups, as the
trainer's warm-up and schedules do) and torch.nn.utils.clip_grad_norm_ with PyTorch (Debian's python3-torch 1.13)
and writes the inputs and results to optimizer_parity.safetensors next to this script. The safetensors file is written
by the small writer below (json + struct; the Python `safetensors` package is not needed).

Regenerate: /usr/bin/python3 tests/MLNetFlows.Trainers.Tests/Fixtures/make_optimizer_fixture.py
(any working directory: the output path is resolved relative to this file).

Protocol (every tensor float32):
  * "<kind>.p0" is the initial parameter, "<kind>.grads"[k] the gradient given at step k+1, "<kind>.lrs"[k] the learning
    rate set before step k+1, "<kind>.p"[k] the parameter after step k+1; kind is "adamax" or "adam";
  * "clip.g0", "clip.g1" are two gradients, clipped jointly to max_norm = clip.max_norm[0];
    "clip.c0", "clip.c1" are the clipped gradients and clip.total_norm[0] the joint L2 norm before clipping.
"""

import json
import os
import struct

import torch

SEED = 20251129
HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "optimizer_parity.safetensors")


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        assert t.dtype == torch.float32, name
        data = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for chunk in chunks:
            f.write(chunk)


def trajectory(optimizer_class, p0, grads, lrs):
    p = torch.nn.Parameter(p0.clone())
    optimizer = optimizer_class([p], lr=float(lrs[0]))
    states = []
    for g, lr in zip(grads, lrs):
        for group in optimizer.param_groups:
            group["lr"] = float(lr)
        p.grad = g.clone()
        optimizer.step()
        states.append(p.detach().clone())
    return torch.stack(states)


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    out = {}
    steps = 5
    for kind, optimizer_class, lrs in (("adamax", torch.optim.Adamax, [2e-3, 2e-3, 1e-3, 4e-3, 5e-4]),
                                       ("adam", torch.optim.Adam, [1e-2, 5e-3, 1e-2, 2e-2, 1e-3])):
        p0 = torch.randn(4, 3)
        grads = torch.randn(steps, 4, 3)
        grads[2, 0, 0] = 0.0  # a zero gradient: Adamax's infinity norm then only decays
        lrs = torch.tensor(lrs, dtype=torch.float32)
        out[f"{kind}.p0"] = p0
        out[f"{kind}.grads"] = grads
        out[f"{kind}.lrs"] = lrs
        out[f"{kind}.p"] = trajectory(optimizer_class, p0, grads, lrs.tolist())

    g0, g1 = torch.randn(3, 2), torch.randn(5)
    a = torch.nn.Parameter(torch.zeros(3, 2))
    b = torch.nn.Parameter(torch.zeros(5))
    a.grad, b.grad = g0.clone(), g1.clone()
    max_norm = 0.5
    total = torch.nn.utils.clip_grad_norm_([a, b], max_norm)
    out.update({"clip.g0": g0, "clip.g1": g1, "clip.c0": a.grad.clone(), "clip.c1": b.grad.clone(),
                "clip.max_norm": torch.tensor([max_norm]), "clip.total_norm": torch.tensor([float(total)])})

    metadata = {"generator": "make_optimizer_fixture.py", "torch": torch.__version__, "seed": str(SEED),
                "adamax": "torch.optim.Adamax betas=(0.9,0.999) eps=1e-8 weight_decay=0",
                "adam": "torch.optim.Adam betas=(0.9,0.999) eps=1e-8 weight_decay=0 amsgrad=False",
                "clip": "torch.nn.utils.clip_grad_norm_ norm_type=2"}
    write_safetensors(OUTPUT, out, metadata)
    for name in sorted(out):
        print(f"{name:18s} {list(out[name].shape)}")


if __name__ == "__main__":
    main()
