#!/usr/bin/python3
"""Golden Glow fixture for the MLNetFlows.Models tests (GlowParityTests.cs).

Builds two small Glows with bench/reference/glow_reference.py (the PyTorch mirror of src/Models/Glow/*.cs and
src/Models/Flows/*.cs, whose state-dict names match the C# GlowModel.StateDict() 1:1), puts them in a generic state and
records their weights, inputs, log densities, per-level parts and latents in glow_parity.safetensors next to this
script. The C# test loads the weights into a GlowModel and must reproduce the outputs and invert the latents.

Regenerate: /usr/bin/python3 tests/MLNetFlows.Models.Tests/Fixtures/make_glow_fixture.py
(Debian's python3 with python3-torch 1.13; paths are resolved relative to this file, so any working directory works).

Models (prefix "a." / "b."; the architecture JSON is in __metadata__ "a.architecture" / "b.architecture", in the form
the C# JsonSerializer writes GlowArchitecture with a JsonStringEnumConverter):
  a: L=2, K=2, hidden 8, input 1x8x8, affine coupling, LU 1x1 convs, learned top prior, no soft clamp;
  b: L=2, K=1, hidden 8, input 1x8x8, additive coupling, plain 1x1 convs, top prior N(0, I) (a buffer), no soft clamp.
Protocol, per model: fresh weights (seeded), ActNorm data-dependent init from a random batch in training mode, then
EVERY parameter (not the LU buffers p/sign_s/l_mask/eye, nor the fixed top prior of b) gets N(0, 0.05^2) noise, so the
zero-initialised convolutions (coupling conv3, split priors) and the top prior are non-trivial; ActNorm initialized
flags are 1; eval mode. The float32 weights are what is stored; the float64 model is the SAME weights cast to float64.

Tensors (per prefix p = "a." / "b."):
  p + <C# state-dict name>  the weights, float32 (ActNorm "initialized" flags uint8, as in C#);
  p + "x"                   float32 [6, 1, 8, 8], uniform in [-0.5, 0.5);
  p + "log_density"         float32 [6]     log p(x) in nats, from the float32 model;
  p + "per_level"           float32 [6, L]  each level's part of log p(x), from the float32 model;
  p + "latent"              float32 [6, 64] the latents of the levels, each flattened per sample, concatenated in level
                            order (level 0's factored-out half first, the top latent last), from the float32 model;
  p + "log_density_f64", p + "per_level_f64", p + "latent_f64"  the same from the float64 model (F64), on x cast to
                            float64: lets a test separate logic errors from float32 rounding.
The file is written with glow_reference.save_safetensors (ordinal name order, as the C# SafeTensors.Save) and read back
with glow_reference.load_safetensors, which must reproduce every tensor bit for bit.
"""

import copy
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "..", "..", "bench", "reference")))
import glow_reference as ref  # noqa: E402

SEED = 20261124
GENERATOR = "make_glow_fixture.py"
OUTPUT = os.path.join(HERE, "glow_parity.safetensors")
MAX_BYTES = 300 * 1024
BATCH = 6
INIT_BATCH = 16
NOISE = 0.05

MODELS = {
    "a": ref.GlowArchitecture(channels=1, height=8, width=8, levels=2, steps_per_level=2, hidden_channels=8,
                              coupling="Affine", permutation="LU", soft_clamp=None, learn_top_prior=True),
    "b": ref.GlowArchitecture(channels=1, height=8, width=8, levels=2, steps_per_level=1, hidden_channels=8,
                              coupling="Additive", permutation="Plain", soft_clamp=None, learn_top_prior=False),
}


def generic_model(arch, generator):
    """A float32 Glow in eval mode: data-dependent init, then N(0, NOISE^2) on every parameter."""
    model = ref.Glow(arch)
    model.train()
    with torch.no_grad():
        model(torch.rand(INIT_BATCH, arch.channels, arch.height, arch.width, generator=generator) - 0.5)
        for parameter in model.parameters():
            parameter.add_(torch.randn(parameter.shape, generator=generator, dtype=parameter.dtype) * NOISE)
    actnorms = [m for m in model.modules() if isinstance(m, ref.ActNorm)]
    assert actnorms and all(m.initialized.item() == 1 for m in actnorms)
    for m in actnorms:
        m.initialized.fill_(1)
    return model.eval()


def outputs(model, x):
    with torch.inference_mode():
        log_density, per_level, _, latents = model.evaluate(x, keep_latents=True)
        latent = torch.cat([z.flatten(1) for z in latents], 1)
        back = model.decode(latents)
    return log_density, per_level, latent, float((back - x).abs().max())


def build():
    generator = torch.Generator().manual_seed(SEED)
    torch.manual_seed(SEED)  # the fresh weights of ref.Glow (QR rotations, coupling conv1/conv2)
    tensors, metadata, report = {}, {}, []
    for prefix, arch in MODELS.items():
        model32 = generic_model(arch, generator)
        model64 = copy.deepcopy(model32).double()
        state = model32.state_dict()
        for name, t in state.items():
            assert t.dtype in (torch.float32, torch.uint8), (name, t.dtype)
            tensors[f"{prefix}.{name}"] = t.detach().clone()
        x = torch.rand(BATCH, arch.channels, arch.height, arch.width, generator=generator) - 0.5
        ld32, pl32, z32, inv32 = outputs(model32, x)
        ld64, pl64, z64, inv64 = outputs(model64, x.double())
        assert z32.shape == (BATCH, arch.dimensions), z32.shape
        assert all(torch.isfinite(t).all() for t in (ld32, pl32, z32, ld64, pl64, z64))
        assert torch.allclose(pl64.sum(1), ld64, rtol=0, atol=1e-9)
        tensors.update({f"{prefix}.x": x, f"{prefix}.log_density": ld32, f"{prefix}.per_level": pl32,
                        f"{prefix}.latent": z32, f"{prefix}.log_density_f64": ld64, f"{prefix}.per_level_f64": pl64,
                        f"{prefix}.latent_f64": z64})
        metadata[f"{prefix}.architecture"] = ref.architecture_to_metadata(arch)
        stats = {
            "log_density_range": [round(float(ld64.min()), 3), round(float(ld64.max()), 3)],
            "f32_vs_f64_log_density": float((ld32.double() - ld64).abs().max()),
            "f32_vs_f64_per_level": float((pl32.double() - pl64).abs().max()),
            "f32_vs_f64_latent": float((z32.double() - z64).abs().max()),
            "latent_abs_max": float(z64.abs().max()),
            "decode_error_f32": inv32,
            "decode_error_f64": inv64,
            "parameters": sum(p.numel() for p in model32.parameters()),
        }
        assert inv32 < 1e-4 and inv64 < 1e-10, stats
        metadata[f"{prefix}.python_f32_vs_f64"] = (
            f"max |f32 - f64|: log_density {stats['f32_vs_f64_log_density']:.3g}, per_level "
            f"{stats['f32_vs_f64_per_level']:.3g}, latent {stats['f32_vs_f64_latent']:.3g}; "
            f"log_density in {stats['log_density_range']}")
        report.append((prefix, stats))
    metadata.update({
        "generator": GENERATOR, "torch": torch.__version__, "seed": str(SEED), "num_threads": "1",
        "protocol": (f"ActNorm init from rand({INIT_BATCH},1,8,8)-0.5 in training mode, then every parameter += "
                     f"N(0, {NOISE}^2); eval mode; x = rand({BATCH},1,8,8)-0.5; latent = cat of the per-level latents "
                     "flattened per sample, level 0 first; *_f64 from the same float32 weights cast to float64"),
    })
    return tensors, metadata, report


def check_round_trip(path, tensors, metadata):
    loaded, meta = ref.load_safetensors(path)
    assert meta == metadata, "metadata differs"
    assert set(loaded) == set(tensors), "names differ"
    for name, t in tensors.items():
        got = loaded[name]
        assert got.dtype == t.dtype and list(got.shape) == list(t.shape), name
        if t.dtype.is_floating_point:  # bit patterns, so -0.0 vs 0.0 would be caught too
            bits = torch.int32 if t.dtype == torch.float32 else torch.int64
            assert torch.equal(got.contiguous().view(bits), t.contiguous().view(bits)), name
        else:
            assert torch.equal(got, t), name


def main():
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    tensors, metadata, report = build()
    ref.save_safetensors(OUTPUT, tensors, metadata)
    check_round_trip(OUTPUT, tensors, metadata)
    size = os.path.getsize(OUTPUT)
    assert size < MAX_BYTES, f"{OUTPUT} is {size} bytes (limit {MAX_BYTES})"
    for prefix, stats in report:
        print(f"{prefix}: {stats}")
    print(f"wrote {len(tensors)} tensors, {size} bytes to {os.path.relpath(OUTPUT)} (torch {torch.__version__}); "
          f"round trip OK", file=sys.stderr)


if __name__ == "__main__":
    main()
