#!/usr/bin/python3
"""PyTorch reference implementation of MLNetFlows' Glow (src/Models/Flows/*.cs, src/Models/Glow/*.cs).

The C# sources are the specification; this module mirrors them op for op, with the same parameter and buffer names as
the C# StateDict, so a state dict saved by the C# GlowModel (safetensors) loads 1:1:

  level{l}_step{k}.actnorm.{bias,logs}            ActNorm parameters [1, C, 1, 1]
  level{l}_step{k}.actnorm.initialized            buffer, uint8 [1] (1 once the data-dependent init ran)
  level{l}_step{k}.invconv.{l,u,log_s}            LU parameters ([C, C], [C, C], [C])
  level{l}_step{k}.invconv.{p,sign_s,l_mask,eye}  LU buffers   (Plain parameterisation: invconv.weight [C, C])
  level{l}_step{k}.coupling.net.conv1.weight      3x3 conv, no bias   [hidden, C/2, 3, 3]
  level{l}_step{k}.coupling.net.norm1.*           ActNorm over hidden channels
  level{l}_step{k}.coupling.net.conv2.weight      1x1 conv, no bias   [hidden, hidden, 1, 1]
  level{l}_step{k}.coupling.net.norm2.*           ActNorm over hidden channels
  level{l}_step{k}.coupling.net.conv3.{weight,bias,logs}  ZeroConv2d  [C or C/2, hidden, 3, 3], [..], [1, .., 1, 1]
  level{l}_prior.{weight,bias,logs}               split prior ZeroConv2d (C/2 -> C), levels 0 .. L-2
  top_prior                                       [1, 2*C_top, H_top, W_top] (parameter, or buffer without learntop)

Conventions mirrored from the C# code (see the docstrings of each class for the formula):
  * squeeze: [C, H, W] -> [4C, H/2, W/2], channel = 4c + 2*dy + dx (openai/glow's squeeze2d order);
  * split: the FIRST half of the channels is kept, the SECOND half factored out; the split prior's mean is the first
    half of the zero-conv output channels, the log-std the second half (top prior likewise);
  * affine coupling: h = net(x1); shift = h[:, :C/2], scale = sigmoid(h[:, C/2:] + 2) (computed as exp(logsigmoid));
    y2 = (x2 + shift) * scale; optional soft clamp log-scale = (2a/pi) atan(raw / a); additive: y2 = x2 + net(x1);
  * ActNorm: y = (x + b) * exp(s); data-dependent init on the first forward in training mode: b = -mean,
    s = -log(std_biased + 1e-6) per channel;
  * input: x_tilde = (floor(x / 2^(8-bits)) padded bottom/right with 0 + u) / 2^bits - 0.5, u ~ U(0,1) or 0.5;
    bits/dim = (D_model * ln(bins) - log p(x_tilde)) / (D_reported * ln 2).

Module-level helpers: load_safetensors / save_safetensors (own reader/writer; the `safetensors` package is not used),
prepare, bits_per_dim, to_pixels, conv_macs_per_image, architecture_from_state.

CLI (Debian's python3 with torch 1.13):
  /usr/bin/python3 bench/reference/glow_reference.py --check WEIGHTS.safetensors INPUTS.safetensors
      [--tolerance 1e-2] [--soft-clamp A] [--train-mode]
  WEIGHTS: a C#-saved GlowModel.StateDict() (keys as above; a trainer checkpoint with "model."/"optimizer." prefixes
  works too; its "architecture" metadata is used when present, otherwise the architecture is inferred from shapes).
  INPUTS: tensor "x" float32 [N, C, H, W] (model inputs) and "log_density" float32 [N] computed by C#; optionally
  "per_level" [N, L]. Prints one JSON object and exits 1 if max_abs_diff (nats) exceeds the tolerance.
  /usr/bin/python3 bench/reference/glow_reference.py --self-test
      builds a model, trains it a few steps on Fashion-MNIST (or random pixels), saves weights + inputs with the
      writer here, and runs the --check path on them (also checks encode/decode invertibility).
"""

import argparse
import json
import math
import os
import re
import struct
import sys
from dataclasses import dataclass, asdict
from typing import Optional

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

LOG_TWO_PI = math.log(2 * math.pi)

# ----------------------------------------------------------------------------------------------------------------
# safetensors (own minimal reader / writer)
# ----------------------------------------------------------------------------------------------------------------
_ST_DTYPES = {  # name -> (torch dtype, little-endian numpy dtype)
    "F32": (torch.float32, "<f4"),
    "F64": (torch.float64, "<f8"),
    "I64": (torch.int64, "<i8"),
    "I32": (torch.int32, "<i4"),
    "U8": (torch.uint8, "u1"),
    "BOOL": (torch.bool, "?"),
}
_ST_NAMES = {v[0]: k for k, v in _ST_DTYPES.items()}


def load_safetensors(path):
    """Reads a safetensors file -> (dict name -> CPU torch.Tensor, metadata dict). Validates the layout."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (n,) = struct.unpack_from("<Q", blob, 0)
    if 8 + n > len(blob):
        raise ValueError(f"{path}: header length {n} exceeds the file size {len(blob)}")
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = memoryview(blob)[8 + n:]
    metadata = header.pop("__metadata__", None) or {}
    tensors = {}
    for name, info in header.items():
        dtype_name, shape, (begin, end) = info["dtype"], list(info["shape"]), info["data_offsets"]
        if dtype_name not in _ST_DTYPES:
            raise ValueError(f"{path}: tensor '{name}' has unsupported dtype {dtype_name}")
        torch_dtype, np_dtype = _ST_DTYPES[dtype_name]
        count = int(np.prod(shape)) if shape else 1
        if not 0 <= begin <= end <= len(data) or end - begin != count * np.dtype(np_dtype).itemsize:
            raise ValueError(f"{path}: tensor '{name}' has offsets [{begin}, {end}] that do not fit {dtype_name}{shape}")
        array = np.frombuffer(data[begin:end], dtype=np_dtype, count=count).reshape(shape)
        tensors[name] = torch.from_numpy(array.astype(array.dtype.newbyteorder("="), copy=True))
        assert tensors[name].dtype == torch_dtype, (name, tensors[name].dtype, torch_dtype)
    return tensors, metadata


def save_safetensors(path, tensors, metadata=None):
    """Writes dict name -> tensor (moved to CPU) in ordinal name order, as the C# SafeTensors.Save does."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in sorted(metadata.items())}
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        dtype_name = _ST_NAMES[t.dtype]
        raw = t.numpy().astype(_ST_DTYPES[dtype_name][1], copy=False).tobytes(order="C")
        header[name] = {"dtype": dtype_name, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for chunk in chunks:
            f.write(chunk)


# ----------------------------------------------------------------------------------------------------------------
# architecture (GlowArchitecture.cs)
# ----------------------------------------------------------------------------------------------------------------
@dataclass
class GlowArchitecture:
    channels: int
    height: int
    width: int
    levels: int = 3
    steps_per_level: int = 8
    hidden_channels: int = 128
    coupling: str = "Affine"        # "Affine" | "Additive"
    permutation: str = "LU"         # "LU" | "Plain"
    soft_clamp: Optional[float] = None
    learn_top_prior: bool = True

    @property
    def dimensions(self):
        return self.channels * self.height * self.width

    def validate(self):
        m = 1 << self.levels
        if self.height % m or self.width % m or self.height < m or self.width < m:
            raise ValueError(f"a Glow with {self.levels} levels needs height and width divisible by {m}, "
                             f"got {self.height}x{self.width}")
        if self.coupling not in ("Affine", "Additive") or self.permutation not in ("LU", "Plain"):
            raise ValueError(f"unknown coupling/permutation {self.coupling}/{self.permutation}")
        if self.soft_clamp is not None and self.soft_clamp <= 0:
            raise ValueError("soft_clamp must be positive")


def padded_side(side, levels):
    """GlowInput.PaddedSide: the smallest multiple of 2^levels that is >= side."""
    m = 1 << levels
    return (side + m - 1) // m * m


def architecture_from_metadata(text):
    """Parses the C# JSON of GlowArchitecture (PascalCase, enums as strings) from checkpoint metadata."""
    a = json.loads(text)
    return GlowArchitecture(channels=a["Channels"], height=a["Height"], width=a["Width"], levels=a["Levels"],
                            steps_per_level=a["StepsPerLevel"], hidden_channels=a["HiddenChannels"],
                            coupling=str(a.get("Coupling", "Affine")), permutation=str(a.get("Permutation", "LU")),
                            soft_clamp=a.get("SoftClamp"), learn_top_prior=bool(a.get("LearnTopPrior", True)))


def architecture_to_metadata(arch):
    """The C# JsonSerializer form of GlowArchitecture (as in a trainer checkpoint's "architecture" metadata)."""
    return json.dumps({"Channels": arch.channels, "Height": arch.height, "Width": arch.width, "Levels": arch.levels,
                       "StepsPerLevel": arch.steps_per_level, "HiddenChannels": arch.hidden_channels,
                       "Coupling": arch.coupling, "Permutation": arch.permutation, "SoftClamp": arch.soft_clamp,
                       "LearnTopPrior": arch.learn_top_prior, "Dimensions": arch.dimensions}, separators=(",", ":"))


def architecture_from_state(state, soft_clamp=None, learn_top_prior=True):
    """Infers the architecture from state-dict shapes. Not inferable: soft_clamp (pass it) and learn_top_prior
    (parameter vs buffer, same name and shape; irrelevant for densities)."""
    steps = {}
    for name in state:
        m = re.match(r"level(\d+)_step(\d+)\.", name)
        if m:
            steps.setdefault(int(m.group(1)), set()).add(int(m.group(2)))
    if not steps:
        raise ValueError("no 'level{l}_step{k}.' keys in the state dict")
    levels = max(steps) + 1
    per_level = {len(s) for s in steps.values()}
    if len(per_level) != 1 or sorted(steps) != list(range(levels)):
        raise ValueError(f"inconsistent levels/steps in the state dict: {steps}")
    c0 = state["level0_step0.actnorm.bias"].shape[1]
    hidden = state["level0_step0.coupling.net.conv1.weight"].shape[0]
    out = state["level0_step0.coupling.net.conv3.weight"].shape[0]
    top = state["top_prior"].shape
    return GlowArchitecture(channels=c0 // 4, height=top[2] << levels, width=top[3] << levels, levels=levels,
                            steps_per_level=per_level.pop(), hidden_channels=hidden,
                            coupling="Affine" if out == c0 else "Additive",
                            permutation="Plain" if "level0_step0.invconv.weight" in state else "LU",
                            soft_clamp=soft_clamp, learn_top_prior=learn_top_prior)


# ----------------------------------------------------------------------------------------------------------------
# blocks (src/Models/Flows)
# ----------------------------------------------------------------------------------------------------------------
class ActNorm(nn.Module):
    """y = (x + b) * exp(s), log|det| = H*W*sum(s); data-dependent init on the first training-mode forward."""
    EPSILON = 1e-6

    def __init__(self, channels, height, width):
        super().__init__()
        self.pixels = height * width
        self.bias = nn.Parameter(torch.zeros(1, channels, 1, 1))
        self.logs = nn.Parameter(torch.zeros(1, channels, 1, 1))
        self.register_buffer("initialized", torch.zeros(1, dtype=torch.uint8))

    @torch.no_grad()
    def initialize_from(self, x):
        mean = x.mean(dim=[0, 2, 3], keepdim=True)
        std = x.std(dim=[0, 2, 3], unbiased=False, keepdim=True)
        self.bias.copy_(-mean)
        self.logs.copy_(-(std + self.EPSILON).log())
        self.initialized.fill_(1)

    def _logdet(self, like, sign):
        return like.new_ones(like.shape[0]) * (self.logs.sum() * (sign * self.pixels))

    def forward(self, x):
        if self.training and self.initialized.item() == 0:
            self.initialize_from(x)
        return (x + self.bias) * self.logs.exp(), self._logdet(x, 1.0)

    def reverse(self, y):
        return y * (-self.logs).exp() - self.bias, self._logdet(y, -1.0)


class InvertibleConv1x1(nn.Module):
    """y = W x per pixel; LU: W = P L (U + diag(sign_s * exp(log_s))), log|det| = H*W*sum(log_s)."""

    def __init__(self, channels, height, width, parameterization="LU"):
        super().__init__()
        self.channels, self.pixels, self.parameterization = channels, height * width, parameterization
        rotation, _ = torch.linalg.qr(torch.randn(channels, channels))
        if parameterization == "Plain":
            self.weight = nn.Parameter(rotation.clone())
            return
        lu, pivots = torch.linalg.lu_factor(rotation)
        p, l, u = torch.lu_unpack(lu, pivots)
        diagonal = torch.diag(u)
        self.register_buffer("p", p.clone())
        self.register_buffer("sign_s", diagonal.sign())
        self.register_buffer("l_mask", torch.tril(torch.ones(channels, channels), -1))
        self.register_buffer("eye", torch.eye(channels))
        self.l = nn.Parameter(l.clone())
        self.u = nn.Parameter(torch.triu(u, 1))
        self.log_s = nn.Parameter(diagonal.abs().log())

    def get_weight(self):
        if self.parameterization == "Plain":
            return self.weight
        lower = self.l * self.l_mask + self.eye
        upper = self.u * self.l_mask.transpose(0, 1) + torch.diag(self.sign_s * self.log_s.exp())
        return self.p.matmul(lower).matmul(upper)

    def _logabsdet(self, weight):
        return torch.linalg.slogdet(weight)[1] if self.parameterization == "Plain" else self.log_s.sum()

    def _per_sample(self, logabsdet, like):
        return like.new_ones(like.shape[0]) * (logabsdet * self.pixels)

    def forward(self, x):
        weight = self.get_weight()
        y = F.conv2d(x, weight.view(self.channels, self.channels, 1, 1))
        return y, self._per_sample(self._logabsdet(weight), x)

    def reverse(self, y):
        weight = self.get_weight()
        inverse = torch.linalg.inv(weight.to(torch.float64)).to(weight.dtype)
        x = F.conv2d(y, inverse.view(self.channels, self.channels, 1, 1))
        return x, self._per_sample(-self._logabsdet(weight), y)


class ZeroConv2d(nn.Module):
    """3x3 conv (padding 1, zeros) with weight, bias and log-scale starting at zero: y = (W*x + b) * exp(3 s)."""
    LOG_SCALE_FACTOR = 3.0

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(out_channels, in_channels, 3, 3))
        self.bias = nn.Parameter(torch.zeros(out_channels))
        self.logs = nn.Parameter(torch.zeros(1, out_channels, 1, 1))

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias, padding=1) * (self.logs * self.LOG_SCALE_FACTOR).exp()


class CouplingNetwork(nn.Module):
    """3x3 conv -> ActNorm -> ReLU -> 1x1 conv -> ActNorm -> ReLU -> ZeroConv2d; hidden convs without bias, N(0, 0.05)."""

    def __init__(self, in_channels, hidden_channels, out_channels, height, width):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, hidden_channels, 3, padding=1, bias=False)
        self.norm1 = ActNorm(hidden_channels, height, width)
        self.conv2 = nn.Conv2d(hidden_channels, hidden_channels, 1, bias=False)
        self.norm2 = ActNorm(hidden_channels, height, width)
        self.conv3 = ZeroConv2d(hidden_channels, out_channels)
        with torch.no_grad():
            self.conv1.weight.normal_(0, 0.05)
            self.conv2.weight.normal_(0, 0.05)

    def forward(self, x):
        h = self.norm1(self.conv1(x))[0].relu()
        h = self.norm2(self.conv2(h))[0].relu()
        return self.conv3(h)


class AffineCoupling(nn.Module):
    """x = (x1, x2); affine: y2 = (x2 + shift) * exp(logscale), logscale = logsigmoid(raw + 2) or soft clamp."""

    def __init__(self, channels, height, width, hidden_channels, kind="Affine", soft_clamp=None):
        super().__init__()
        if channels < 2 or channels % 2:
            raise ValueError(f"a coupling block needs an even number of channels >= 2, got {channels}")
        self.kind, self.clamp, self.half = kind, soft_clamp, channels // 2
        out = channels if kind == "Affine" else self.half
        self.net = CouplingNetwork(self.half, hidden_channels, out, height, width)

    def _shift_and_logscale(self, x1):
        h = self.net(x1)
        if self.kind == "Additive":
            return h, None
        shift, raw = h.narrow(1, 0, self.half), h.narrow(1, self.half, self.half)
        if self.clamp is not None:
            logscale = (raw / self.clamp).atan() * (2 * self.clamp / math.pi)
        else:
            logscale = F.logsigmoid(raw + 2)
        return shift, logscale

    def forward(self, x):
        x1, x2 = x.narrow(1, 0, self.half), x.narrow(1, self.half, self.half)
        shift, logscale = self._shift_and_logscale(x1)
        if logscale is None:
            return torch.cat([x1, x2 + shift], 1), x.new_zeros(x.shape[0])
        return torch.cat([x1, (x2 + shift) * logscale.exp()], 1), logscale.sum(dim=[1, 2, 3])

    def reverse(self, y):
        y1, y2 = y.narrow(1, 0, self.half), y.narrow(1, self.half, self.half)
        shift, logscale = self._shift_and_logscale(y1)
        if logscale is None:
            return torch.cat([y1, y2 - shift], 1), y.new_zeros(y.shape[0])
        return torch.cat([y1, y2 * (-logscale).exp() - shift], 1), -logscale.sum(dim=[1, 2, 3])


def squeeze(x):
    """[N, C, H, W] -> [N, 4C, H/2, W/2], channel 4c + 2dy + dx (openai/glow squeeze2d order)."""
    n, c, h, w = x.shape
    return x.reshape(-1, c, h // 2, 2, w // 2, 2).permute(0, 1, 3, 5, 2, 4).reshape(-1, c * 4, h // 2, w // 2)


def unsqueeze(y):
    n, c4, h2, w2 = y.shape
    c = c4 // 4
    return y.reshape(-1, c, 2, 2, h2, w2).permute(0, 1, 4, 2, 5, 3).reshape(-1, c, h2 * 2, w2 * 2)


def gaussian_log_prob(z, mean, logstd):
    """Per-sample sum of log N(z; mean, exp(logstd)^2), in the C# op order."""
    standardized = (z - mean) * (-logstd).exp()
    elementwise = ((standardized.square() + LOG_TWO_PI) + logstd * 2) * -0.5
    return elementwise.flatten(1).sum(dim=1)


def gaussian_sample(mean, logstd, temperature):
    return mean + logstd.exp() * torch.randn_like(mean) * temperature


class FlowStep(nn.Module):
    """ActNorm -> invertible 1x1 conv -> coupling."""

    def __init__(self, channels, height, width, hidden, coupling="Affine", permutation="LU", soft_clamp=None):
        super().__init__()
        self.actnorm = ActNorm(channels, height, width)
        self.invconv = InvertibleConv1x1(channels, height, width, permutation)
        self.coupling = AffineCoupling(channels, height, width, hidden, coupling, soft_clamp)

    def forward(self, x):
        logdet = x.new_zeros(x.shape[0])
        for block in (self.actnorm, self.invconv, self.coupling):
            x, block_logdet = block(x)
            logdet = logdet + block_logdet
        return x, logdet

    def reverse(self, y):
        logdet = y.new_zeros(y.shape[0])
        for block in (self.coupling, self.invconv, self.actnorm):
            y, block_logdet = block.reverse(y)
            logdet = logdet + block_logdet
        return y, logdet


# ----------------------------------------------------------------------------------------------------------------
# the model (GlowModel.cs)
# ----------------------------------------------------------------------------------------------------------------
class Glow(nn.Module):
    """L levels of squeeze -> K steps -> split (all but the last); conditional split priors, learned top prior."""

    def __init__(self, arch: GlowArchitecture):
        super().__init__()
        arch.validate()
        self.arch = arch
        self.latent_shapes = []
        self.step_names = []
        c, h, w = arch.channels, arch.height, arch.width
        for level in range(arch.levels):
            c, h, w = c * 4, h // 2, w // 2
            names = []
            for k in range(arch.steps_per_level):
                name = f"level{level}_step{k}"
                self.add_module(name, FlowStep(c, h, w, arch.hidden_channels, arch.coupling, arch.permutation,
                                               arch.soft_clamp))
                names.append(name)
            self.step_names.append(names)
            if level < arch.levels - 1:
                self.add_module(f"level{level}_prior", ZeroConv2d(c // 2, c))
                self.latent_shapes.append((c // 2, h, w))
                c //= 2
            else:
                self.latent_shapes.append((c, h, w))
        top = torch.zeros(1, c * 2, h, w)
        if arch.learn_top_prior:
            self.top_prior = nn.Parameter(top)
        else:
            self.register_buffer("top_prior", top)

    @property
    def levels(self):
        return self.arch.levels

    def _steps(self, level):
        return [getattr(self, name) for name in self.step_names[level]]

    def _split_prior(self, level, kept):
        h = getattr(self, f"level{level}_prior")(kept)
        half = h.shape[1] // 2
        return h.narrow(1, 0, half), h.narrow(1, half, half)

    def _top_prior(self, count):
        half = self.top_prior.shape[1] // 2
        shape = (count, half) + tuple(self.top_prior.shape[2:])
        return (self.top_prior.narrow(1, 0, half).expand(shape), self.top_prior.narrow(1, half, half).expand(shape))

    def evaluate(self, x, keep_latents=False):
        """-> (log p(x) [N], per-level parts [N, L], total log-det [N], latents or None)."""
        h = x
        per_level, latents = [], []
        total_logdet = x.new_zeros(x.shape[0])
        for level in range(self.levels):
            h = squeeze(h)
            logdet = h.new_zeros(h.shape[0])
            for step in self._steps(level):
                h, step_logdet = step(h)
                logdet = logdet + step_logdet
            if level < self.levels - 1:
                half = h.shape[1] // 2
                latent = h.narrow(1, half, half)
                h = h.narrow(1, 0, half)
                mean, logstd = self._split_prior(level, h)
            else:
                latent = h
                mean, logstd = self._top_prior(h.shape[0])
            total_logdet = total_logdet + logdet
            per_level.append(logdet + gaussian_log_prob(latent, mean, logstd))
            latents.append(latent)
        parts = torch.stack(per_level, 1)
        return parts.sum(dim=1), parts, total_logdet, ([l.contiguous() for l in latents] if keep_latents else None)

    def forward(self, x):
        """-> (log_density [N] in nats, per_level [N, L])."""
        log_density, parts, _, _ = self.evaluate(x)
        return log_density, parts

    def encode(self, x):
        return self.evaluate(x, keep_latents=True)[3]

    def _generate(self, latents, temperature, count):
        h = None
        for level in range(self.levels - 1, -1, -1):
            if level == self.levels - 1:
                mean, logstd = self._top_prior(count)
                h = latents[level] if latents[level] is not None else gaussian_sample(mean, logstd, temperature)
            else:
                mean, logstd = self._split_prior(level, h)
                z = latents[level] if latents[level] is not None else gaussian_sample(mean, logstd, temperature)
                h = torch.cat([h, z], 1)
            for step in reversed(self._steps(level)):
                h = step.reverse(h)[0]
            h = unsqueeze(h)
        return h

    def decode(self, latents):
        return self._generate(list(latents), 1.0, latents[0].shape[0])

    def sample(self, n, temperature=1.0):
        """n model-space samples [n, C, H, W]; temperature scales every prior's std."""
        return self._generate([None] * self.levels, temperature, n)


# ----------------------------------------------------------------------------------------------------------------
# input / output (GlowInput.cs)
# ----------------------------------------------------------------------------------------------------------------
def bins_for(bits):
    if not 1 <= bits <= 8:
        raise ValueError(f"n_bits must be between 1 and 8, got {bits}")
    return 1 << bits


def prepare(pixels, bits, height, width, dequantize, generator=None):
    """Pixels in [0, 255] ([N, C, h, w], uint8 or float) -> model input [N, C, height, width] float32."""
    bins = bins_for(bits)
    pixels = pixels.to(torch.float32)
    reduced = pixels if bits == 8 else (pixels / (1 << (8 - bits))).floor()
    pad_bottom, pad_right = height - reduced.shape[2], width - reduced.shape[3]
    if pad_bottom < 0 or pad_right < 0:
        raise ValueError(f"images of {reduced.shape[2]}x{reduced.shape[3]} do not fit {height}x{width}")
    padded = F.pad(reduced, [0, pad_right, 0, pad_bottom]) if pad_bottom + pad_right > 0 else reduced
    if dequantize:
        offset = torch.rand(padded.shape, generator=generator, dtype=padded.dtype, device=padded.device)
    else:
        offset = torch.zeros_like(padded) + 0.5
    return (padded + offset) / bins - 0.5


def to_pixels(model_output, bits, height, width):
    bins = bins_for(bits)
    levels = ((model_output + 0.5) * bins).floor().clamp(0, bins - 1)
    return (levels * (255.0 / (bins - 1)))[:, :, :height, :width].contiguous()


def bits_per_dim(log_density, model_dimensions, reported_dimensions, bits):
    """(D_model ln(bins) - log p) / (D_reported ln 2), per sample."""
    return (model_dimensions * math.log(bins_for(bits)) - log_density) / (reported_dimensions * math.log(2))


def conv_macs_per_image(arch: GlowArchitecture):
    """Analytic multiply-accumulates of every convolution in one forward pass for ONE image: per step the three
    coupling convs (3x3 C/2->hidden, 1x1 hidden->hidden, 3x3 hidden->C or C/2) and the invertible 1x1 conv (C->C);
    per split the prior's 3x3 conv (C/2 -> C). Element-wise ops, ActNorm and the LU weight build are not counted."""
    macs = 0
    c, h, w = arch.channels, arch.height, arch.width
    for level in range(arch.levels):
        c, h, w = c * 4, h // 2, w // 2
        px = h * w
        out = c if arch.coupling == "Affine" else c // 2
        step = (9 * (c // 2) * arch.hidden_channels + arch.hidden_channels * arch.hidden_channels
                + 9 * arch.hidden_channels * out + c * c) * px
        macs += arch.steps_per_level * step
        if level < arch.levels - 1:
            macs += 9 * (c // 2) * c * px
            c //= 2
    return macs


# ----------------------------------------------------------------------------------------------------------------
# --check: C#-saved weights and log densities -> Python
# ----------------------------------------------------------------------------------------------------------------
def model_from_safetensors(path, soft_clamp=None):
    """-> (Glow in eval mode with the file's weights, architecture, notes). Accepts a bare StateDict or a checkpoint."""
    tensors, metadata = load_safetensors(path)
    notes = []
    if any(k.startswith("model.") for k in tensors):
        tensors = {k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")}
        notes.append("checkpoint: used the 'model.' tensors")
    inferred = architecture_from_state(tensors, soft_clamp=soft_clamp)
    if "architecture" in metadata:
        arch = architecture_from_metadata(metadata["architecture"])
        if soft_clamp is not None and arch.soft_clamp != soft_clamp:
            raise ValueError(f"--soft-clamp {soft_clamp} contradicts the file's architecture {metadata['architecture']}")
        for field in ("channels", "height", "width", "levels", "steps_per_level", "hidden_channels", "coupling",
                      "permutation"):
            if getattr(arch, field) != getattr(inferred, field):
                raise ValueError(f"metadata architecture {field}={getattr(arch, field)} but the shapes say "
                                 f"{getattr(inferred, field)}")
        notes.append("architecture from metadata")
    else:
        arch = inferred
        notes.append("architecture inferred from shapes (soft_clamp=%s as given)" % soft_clamp)
    model = Glow(arch)
    own = model.state_dict()
    missing = sorted(set(own) - set(tensors))
    unexpected = sorted(set(tensors) - set(own))
    wrong = sorted(k for k in set(own) & set(tensors) if tuple(own[k].shape) != tuple(tensors[k].shape))
    if missing or unexpected or wrong:
        raise ValueError(f"state dict does not fit: missing {missing[:5]}{'...' if len(missing) > 5 else ''}, "
                         f"unexpected {unexpected[:5]}{'...' if len(unexpected) > 5 else ''}, shape mismatch {wrong[:5]}")
    for k in own:
        if own[k].dtype != tensors[k].dtype:
            raise ValueError(f"'{k}' has dtype {tensors[k].dtype}, expected {own[k].dtype}")
    model.load_state_dict(tensors, strict=True)
    model.eval()
    uninitialized = [n for n, m in model.named_modules() if isinstance(m, ActNorm) and m.initialized.item() == 0]
    if uninitialized:
        notes.append(f"{len(uninitialized)} ActNorm blocks have initialized=0 (e.g. {uninitialized[0]})")
    return model, arch, notes


def run_check(weights, inputs, tolerance, soft_clamp=None, train_mode=False):
    model, arch, notes = model_from_safetensors(weights, soft_clamp)
    data, _ = load_safetensors(inputs)
    x = data["x"].to(torch.float32)
    expected = data["log_density"].to(torch.float64)
    if train_mode:
        # as a C# model evaluated in training mode: uninitialised ActNorms initialise from this batch first
        model.train()
        with torch.no_grad():
            model(x)
        model.eval()
    with torch.inference_mode():
        got, parts = model(x)
        got64, _ = model.double()(x.double())
        model.float()
    diff = (got.double() - expected).abs()
    result = {
        "max_abs_diff": float(diff.max()),
        "n": int(x.shape[0]),
        "tolerance": tolerance,
        "mean_abs_diff": float(diff.mean()),
        "max_rel_diff": float((diff / expected.abs().clamp_min(1e-12)).max()),
        # C#'s float32 vs this model in float64: isolates the C# side's rounding from a logic mismatch
        "max_abs_diff_vs_python_f64": float((got64 - expected).abs().max()),
        "python_f32_vs_f64": float((got.double() - got64).abs().max()),
        "log_density_range": [float(expected.min()), float(expected.max())],
        "architecture": asdict(arch),
        "notes": notes,
    }
    if "per_level" in data:
        result["per_level_max_abs_diff"] = float((parts.double() - data["per_level"].double()).abs().max())
    ok = result["max_abs_diff"] <= tolerance and math.isfinite(result["max_abs_diff"])
    result["ok"] = ok
    print(json.dumps(result), flush=True)
    return ok


# ----------------------------------------------------------------------------------------------------------------
# --self-test: Python-made weights through the --check path
# ----------------------------------------------------------------------------------------------------------------
FASHION_MNIST = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def load_idx_images(path, limit=None):
    """Reads an idx3-ubyte(.gz) file -> uint8 tensor [N, 1, H, W]."""
    import gzip
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        magic, n, h, w = struct.unpack(">IIII", f.read(16))
        if magic != 2051:
            raise ValueError(f"{path}: not an idx3-ubyte image file (magic {magic})")
        n = n if limit is None else min(n, limit)
        raw = f.read(n * h * w)
    return torch.from_numpy(np.frombuffer(raw, dtype=np.uint8).reshape(n, 1, h, w).copy())


def self_test(directory, arch_kwargs, train_steps=20, batch=32, as_checkpoint=False):
    import tempfile
    torch.manual_seed(0)
    if os.path.exists(FASHION_MNIST):
        pixels = load_idx_images(FASHION_MNIST, limit=2048)
    else:
        pixels = torch.randint(0, 256, (2048, 1, 28, 28), dtype=torch.uint8)
    levels = arch_kwargs.get("levels", 3)
    side = padded_side(28, levels)
    arch = GlowArchitecture(channels=1, height=side, width=side, **arch_kwargs)
    model = Glow(arch)
    optimizer = torch.optim.Adamax(model.parameters(), lr=1e-3)
    for step in range(train_steps):
        idx = torch.randint(0, pixels.shape[0], (batch,))
        x = prepare(pixels[idx], 8, side, side, dequantize=True)
        loss = bits_per_dim(model(x)[0], arch.dimensions, 28 * 28, 8).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"# self-test {asdict(arch)}: {train_steps} Adamax steps, last loss {loss.item():.4f} bits/dim",
          file=sys.stderr)
    model.eval()
    x = prepare(pixels[:16], 8, side, side, dequantize=True)
    with torch.inference_mode():
        log_density, parts = model(x)
        latents = model.encode(x)
        back = model.decode(latents)
        samples = model.sample(4, temperature=0.7)
    inv_err = float((back - x).abs().max())
    print(f"# encode/decode max |x - decode(encode(x))| = {inv_err:.3g}; samples {tuple(samples.shape)} finite="
          f"{bool(torch.isfinite(samples).all())}", file=sys.stderr)
    assert inv_err < 1e-3, inv_err
    directory = directory or tempfile.mkdtemp(prefix="glow-selftest-")
    weights, inputs = os.path.join(directory, "weights.safetensors"), os.path.join(directory, "inputs.safetensors")
    if as_checkpoint:  # the trainer's layout: "model."/"optimizer." prefixes and the architecture as metadata
        state = {"model." + k: v for k, v in model.state_dict().items()}
        state["optimizer.step"] = torch.tensor([train_steps], dtype=torch.int64)
        save_safetensors(weights, state, {"format": "mlnetflows.glow.checkpoint",
                                          "architecture": architecture_to_metadata(arch)})
    else:
        save_safetensors(weights, model.state_dict(), {"generator": "glow_reference.py --self-test"})
    save_safetensors(inputs, {"x": x, "log_density": log_density, "per_level": parts})
    # round trip of the state dict itself, bit for bit
    loaded, _ = load_safetensors(weights)
    prefix = "model." if as_checkpoint else ""
    for k, v in model.state_dict().items():
        k_file = prefix + k
        assert loaded[k_file].dtype == v.dtype and torch.equal(loaded[k_file], v), k
    print(f"# wrote {weights} and {inputs}", file=sys.stderr)
    return run_check(weights, inputs, tolerance=1e-2, soft_clamp=arch.soft_clamp)


def main():
    parser = argparse.ArgumentParser(description="PyTorch reference Glow (mirrors MLNetFlows' C# GlowModel)")
    parser.add_argument("--check", nargs=2, metavar=("WEIGHTS", "INPUTS"),
                        help="compare C#-computed log densities with this model on C#-saved weights")
    parser.add_argument("--tolerance", type=float, default=1e-2, help="max |log p difference| in nats (1e-2)")
    parser.add_argument("--soft-clamp", type=float, default=None,
                        help="soft-clamp alpha when the weights file has no architecture metadata")
    parser.add_argument("--train-mode", action="store_true",
                        help="run one training-mode forward first (initialises ActNorms with initialized=0 from x)")
    parser.add_argument("--self-test", action="store_true", help="round-trip Python-made weights through --check")
    parser.add_argument("--dir", default=None, help="--self-test: where to write the files (default: a temp dir)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    if args.check:
        sys.exit(0 if run_check(args.check[0], args.check[1], args.tolerance, args.soft_clamp, args.train_mode) else 1)
    if args.self_test:
        ok = True
        for kw, as_checkpoint in ((dict(levels=3, steps_per_level=4, hidden_channels=64), False),
                                  (dict(levels=2, steps_per_level=2, hidden_channels=32, coupling="Additive",
                                        permutation="Plain"), True),
                                  (dict(levels=3, steps_per_level=2, hidden_channels=32, soft_clamp=2.0,
                                        learn_top_prior=False), False)):
            sub = None
            if args.dir:
                sub = os.path.join(args.dir, "_".join(f"{k}{v}" for k, v in kw.items()))
                os.makedirs(sub, exist_ok=True)
            ok = self_test(sub, kw, as_checkpoint=as_checkpoint) and ok
        sys.exit(0 if ok else 1)
    parser.print_help()
    sys.exit(2)


if __name__ == "__main__":
    main()
