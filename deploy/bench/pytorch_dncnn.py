#!/usr/bin/env python3
"""PyTorch reference for NetworkSpeedBench: the same networks, batch, patch size and thread count.

Trains (forward + backward + Adam step, MSE) and runs inference on random gray patches, and prints
one JSON object on stdout with samples per second (batch / median iteration time, so that bursts
of load from other processes count less) after untimed warm-up iterations:
  {"torch": "...", "threads": 2, "results": [{"name": ..., "trainSamplesPerSec": ..., ...}]}
The network names match NetworkSpeedBench's so it can compute our/PyTorch ratios.
"""
import argparse
import json
import statistics
import sys
import time

import torch
from torch import nn


def dncnn(depth, features, batch_norm, channels=1):
    """Residual denoiser: the body predicts the noise, the output is input - noise."""
    layers = [nn.Conv2d(channels, features, 3, padding=1), nn.ReLU(inplace=True)]
    for _ in range(depth - 2):
        if batch_norm:
            # bias is redundant before batch norm, as in RestorationModels
            layers += [nn.Conv2d(features, features, 3, padding=1, bias=False),
                       nn.BatchNorm2d(features), nn.ReLU(inplace=True)]
        else:
            layers += [nn.Conv2d(features, features, 3, padding=1), nn.ReLU(inplace=True)]
    layers.append(nn.Conv2d(features, channels, 3, padding=1))
    body = nn.Sequential(*layers)

    class DnCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = body

        def forward(self, x):
            return x - self.body(x)

    return DnCNN()


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU(inplace=True))


class UNet(nn.Module):
    """Max-pool down, nearest 2x + 3x3 conv up, concatenated skips, 1x1 head, global residual."""

    def __init__(self, levels, base, channels=1):
        super().__init__()
        self.enc = nn.ModuleList()
        cin = channels
        for level in range(levels):
            self.enc.append(block(cin, base << level))
            cin = base << level
        self.bottleneck = block(cin, base << levels)
        self.up = nn.ModuleList()
        self.dec = nn.ModuleList()
        for level in reversed(range(levels)):
            f = base << level
            self.up.append(nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"),
                                         nn.Conv2d(f * 2, f, 3, padding=1), nn.ReLU(inplace=True)))
            self.dec.append(block(2 * f, f))
        self.head = nn.Conv2d(base, channels, 1)

    def forward(self, x):
        skips = []
        h = x
        for enc in self.enc:
            h = enc(h)
            skips.append(h)
            h = nn.functional.max_pool2d(h, 2)
        h = self.bottleneck(h)
        for up, dec, skip in zip(self.up, self.dec, reversed(skips)):
            h = dec(torch.cat([up(h), skip], dim=1))
        return x + self.head(h)


def measure(name, net, args):
    x = torch.rand(args.batch, 1, args.patch, args.patch)
    y = torch.rand(args.batch, 1, args.patch, args.patch)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    net.train()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.iterations):
        t0 = time.perf_counter()
        score = step()
        times.append(time.perf_counter() - t0)
    train = args.batch / statistics.median(times)

    net.eval()
    with torch.inference_mode():
        for _ in range(args.warmup):
            net(x)
        times = []
        for _ in range(args.iterations):
            t0 = time.perf_counter()
            net(x)
            times.append(time.perf_counter() - t0)
        infer = args.batch / statistics.median(times)
    result = {"name": name, "trainSamplesPerSec": round(train, 2), "inferSamplesPerSec": round(infer, 2),
              "finalScore": round(score, 5)}
    print("pytorch: " + json.dumps(result), file=sys.stderr)
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--patch", type=int, default=40)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--iterations", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--only", help="measure only the network of this name")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    nets = [("dncnn17-bn", dncnn(17, 64, True)), ("dncnn17", dncnn(17, 64, False)), ("unet-3x32", UNet(3, 32))]
    results = [measure(name, net, args) for name, net in nets if args.only in (None, name)]
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "mkldnn": torch.backends.mkldnn.is_available(), "batch": args.batch,
                      "patch": args.patch, "results": results}))


if __name__ == "__main__":
    main()
