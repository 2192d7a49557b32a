#!/usr/bin/python3
"""PyTorch reference of MLNetFlows' InfoGAN training step, for speed only (same networks, same step, same settings).

Networks as src/Models/InfoGan (the paper's MNIST setup): G FC 1024-BN-ReLU, FC 7*7*128-BN-ReLU, up-conv 64-BN-ReLU,
up-conv 1, sigmoid; shared D/Q body conv 64 4x4/2-leaky, conv 128 4x4/2-BN-leaky, FC 1024-BN-leaky; D head FC 1;
Q head FC 128-BN-leaky, FC 10 logits + 2 means (sigma fixed at 1); openai/InfoGAN's initialisation (weights N(0, 0.02^2),
BN scales N(1, 0.02^2), biases 0). Per step, as src/Trainers/InfoGan/InfoGanTraining.cs: one D/Q update on real images
and on G(z) (drawn without gradients) in two passes (GAN loss + categorical CE + Gaussian NLL of the generated images),
then one G update with fresh noise and codes through the updated D. Adam beta = (0.5, 0.999), lr G 1e-3, D 2e-4. Speed does not depend on
the pixel values, so the "images" are random pixel levels.

Usage (Debian's python3-torch): /usr/bin/python3 bench/reference/infogan_reference.py --threads 2 --steps 40 --batch 128
Prints one JSON line like the C# bench (MLNetFlows.Bench infogan).
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

NOISE, CLASSES, CONTINUOUS, SLOPE = 62, 10, 2, 0.1


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.bn1 = nn.Linear(NOISE + CLASSES + CONTINUOUS, 1024), nn.BatchNorm1d(1024)
        self.fc2, self.bn2 = nn.Linear(1024, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7)
        self.deconv1, self.bn3 = nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64)
        self.deconv2 = nn.ConvTranspose2d(64, 1, 4, 2, 1)

    def forward(self, z):
        h = F.relu(self.bn1(self.fc1(z)))
        h = F.relu(self.bn2(self.fc2(h))).view(-1, 128, 7, 7)
        h = F.relu(self.bn3(self.deconv1(h)))
        return torch.sigmoid(self.deconv2(h))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 64, 4, 2, 1)
        self.conv2, self.bn2 = nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128)
        self.fc3, self.bn3 = nn.Linear(128 * 7 * 7, 1024), nn.BatchNorm1d(1024)
        self.d_out = nn.Linear(1024, 1)
        self.q_fc, self.q_bn = nn.Linear(1024, 128), nn.BatchNorm1d(128)
        self.q_out = nn.Linear(128, CLASSES + CONTINUOUS)

    def forward(self, x):
        h = F.leaky_relu(self.conv1(x), SLOPE)
        h = F.leaky_relu(self.bn2(self.conv2(h)), SLOPE).flatten(1)
        h = F.leaky_relu(self.bn3(self.fc3(h)), SLOPE)
        q = self.q_out(F.leaky_relu(self.q_bn(self.q_fc(h)), SLOPE))
        return self.d_out(h).squeeze(1), q[:, :CLASSES], q[:, CLASSES:]


def information(q_logits, q_mean, classes, continuous):
    categorical = F.cross_entropy(q_logits, classes)
    nll = (0.5 * (continuous - q_mean) ** 2 + 0.5 * math.log(2 * math.pi)).sum(1).mean()
    return categorical + nll


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--batch", type=int, default=128)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)  # as MLNetFlows' CLI and bench
    torch.manual_seed(1)
    g, d = Generator(), Discriminator()
    with torch.no_grad():
        for name, p in [*g.named_parameters(), *d.named_parameters()]:
            p.zero_() if name.endswith("bias") else p.normal_(1.0 if p.dim() == 1 else 0.0, 0.02)
    g_opt = torch.optim.Adam(g.parameters(), 1e-3, betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    data = torch.randint(0, 256, (8000, 1, 28, 28), dtype=torch.uint8)
    n = args.batch

    def latent():
        classes = torch.randint(0, CLASSES, (n,))
        continuous = torch.rand(n, CONTINUOUS) * 2 - 1
        z = torch.cat([torch.rand(n, NOISE) * 2 - 1, F.one_hot(classes, CLASSES).float(), continuous], 1)
        return z, classes, continuous

    def step(i):
        real = data[(i * n) % (8000 - n):(i * n) % (8000 - n) + n].float() / 255
        z, classes, continuous = latent()
        with torch.no_grad():
            fake = g(z)
        real_logits, _, _ = d(real)
        fake_logits, q_logits, q_mean = d(fake)
        d_loss = F.binary_cross_entropy_with_logits(real_logits, torch.ones(n)) + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros(n))
        d_loss = d_loss + information(q_logits, q_mean, classes, continuous)
        d_opt.zero_grad()
        d_loss.backward()
        d_opt.step()
        z, classes, continuous = latent()
        logits, q_logits, q_mean = d(g(z))
        g_loss = F.binary_cross_entropy_with_logits(logits, torch.ones(n)) + information(q_logits, q_mean, classes, continuous)
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()

    for i in range(3):  # warm-up
        step(i)
    start = time.perf_counter()
    for i in range(args.steps):
        step(i + 3)
    seconds = time.perf_counter() - start
    print(json.dumps({"model": "infogan", "impl": "pytorch", "torch": torch.__version__, "threads": args.threads, "batch": n,
                      "steps": args.steps, "seconds": round(seconds, 1), "train_images_per_s": round(args.steps * n / seconds, 1)}))


if __name__ == "__main__":
    main()
