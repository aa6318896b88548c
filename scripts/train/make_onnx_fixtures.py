"""PyTorch-exported ONNX models and their reference numbers, for the ONNX loader tests.

  nice -n 10 /usr/bin/python3 scripts/train/make_onnx_fixtures.py [--quick] [--only NAME]

Writes test/fixtures/onnx/<model>.onnx and <model>.json for
  resnet18   CIFAR-size ResNet-18 (kuangliu style: 3x3 stem, [2,2,2,2] basic blocks, widths 16/32/64/128,
             avg_pool2d(4) and out.view(out.size(0), -1), so the export holds the Shape->Gather->
             Unsqueeze->Concat->Reshape chain), opset 13;
  mobilenetv2 a MobileNetV2-like net (inverted residuals with depthwise 3x3 convs and ReLU6, width 0.5),
             opset 13;
  lenet      LeNet-5 (conv-relu-maxpool x2, flatten in C,H,W order, three Linear), opset 9 (Clip/Pad
             as attributes, the oldest opset we accept);
  opzoo      an untrained net that exercises the rest of the op list: grouped and dilated convs,
             LeakyRelu, Sigmoid, HardSigmoid, HardSwish, Clip, Mul (squeeze-excite gate), Concat, Pad,
             MaxPool with padding, AveragePool with count_include_pad, MatMul, Softmax; opset 17.
The first three are trained briefly (a few epochs, minutes on 2 threads) on the exact CIFAR-10 train records
in shared/data/cifar10/exact/ (about 8,150 images, input x/255, random crop + flip), so accuracy means
something. torch.onnx.export in eval mode folds each BatchNorm into the Conv before it.

Each JSON holds, from PyTorch itself (not from ONNX Runtime): logits of the first 8 records of
resources/data/cifar10-test-sample.bin (input x/255, NCHW), and for every node layer (METHODS 0: each
conv's post-BN/activation output, each residual Add's output after its activation, the logits) in
network order: its channel count, spatial size and the per-channel fro / mean of those 8 images; plus
the predicted class of every exact CIFAR-10 test record (1,017) and the accuracy.
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cifar10_data as D  # noqa: E402

OUT = os.path.join(D.REPO, "test", "fixtures", "onnx")
SAMPLE = os.path.join(D.REPO, "resources", "data", "cifar10-test-sample.bin")
EXACT_TRAIN = [os.path.join(D.SHARED, "data", "cifar10", "exact", f"data_batch_{i}.bin") for i in range(1, 6)]
FIXTURE_IMAGES = 8


class Tapped(nn.Module):
    """A model that records its node-layer outputs (in network order) while `taps` is a list."""

    def __init__(self):
        super().__init__()
        self.taps = None

    def tap(self, x):
        if self.taps is not None:
            self.taps.append(x)
        return x


class BasicBlock(nn.Module):
    def __init__(self, owner, cin, cout, stride):
        super().__init__()
        self.owner = [owner]  # a list: not registered as a submodule
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        t = self.owner[0].tap
        out = t(F.relu(self.bn1(self.conv1(x))))
        out = t(self.bn2(self.conv2(out)))
        sc = t(self.shortcut(x)) if len(self.shortcut) else x
        return t(F.relu(out + sc))


class ResNet18(Tapped):
    def __init__(self, widths=(16, 32, 64, 128)):
        super().__init__()
        self.conv1 = nn.Conv2d(3, widths[0], 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        blocks, cin = [], widths[0]
        for i, w in enumerate(widths):
            for b in range(2):
                blocks.append(BasicBlock(self, cin, w, 2 if (i > 0 and b == 0) else 1))
                cin = w
        self.layers = nn.Sequential(*blocks)
        self.linear = nn.Linear(cin, 10)

    def forward(self, x):
        out = self.tap(F.relu(self.bn1(self.conv1(x))))
        out = self.layers(out)
        out = F.avg_pool2d(out, 4)
        out = out.view(out.size(0), -1)
        return self.tap(self.linear(out))


class InvertedResidual(nn.Module):
    def __init__(self, owner, cin, cout, stride, expand):
        super().__init__()
        self.owner = [owner]
        hidden = cin * expand
        self.use_res = stride == 1 and cin == cout
        self.expand = None
        if expand != 1:
            self.expand = nn.Sequential(nn.Conv2d(cin, hidden, 1, bias=False), nn.BatchNorm2d(hidden), nn.ReLU6())
        self.dw = nn.Sequential(nn.Conv2d(hidden, hidden, 3, stride, 1, groups=hidden, bias=False),
                                nn.BatchNorm2d(hidden), nn.ReLU6())
        self.project = nn.Sequential(nn.Conv2d(hidden, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        t = self.owner[0].tap
        out = t(self.expand(x)) if self.expand is not None else x
        out = t(self.dw(out))
        out = t(self.project(out))
        return t(x + out) if self.use_res else out


class MobileNetV2(Tapped):
    # (expansion, channels, repeats, first stride), CIFAR-size strides, width 0.5
    config = [(1, 8, 1, 1), (6, 12, 2, 1), (6, 16, 3, 2), (6, 32, 2, 2), (6, 48, 2, 1), (6, 80, 1, 2)]

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU6())
        blocks, cin = [], 16
        for t, c, n, s in self.config:
            for i in range(n):
                blocks.append(InvertedResidual(self, cin, c, s if i == 0 else 1, t))
                cin = c
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Sequential(nn.Conv2d(cin, 320, 1, bias=False), nn.BatchNorm2d(320), nn.ReLU6())
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(320, 10))

    def forward(self, x):
        out = self.tap(self.stem(x))
        out = self.blocks(out)
        out = self.tap(self.head(out))
        out = torch.flatten(self.pool(out), 1)
        return self.tap(self.classifier(out))


class LeNet(Tapped):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(self.tap(F.relu(self.conv1(x))), 2)
        x = F.max_pool2d(self.tap(F.relu(self.conv2(x))), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.tap(self.fc3(x))


class OpZoo(Tapped):
    """Untrained; BatchNorm statistics randomised so folding is exercised."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3, 1, 1)
        self.bn1 = nn.BatchNorm2d(8)
        self.c2 = nn.Conv2d(8, 8, 3, 2, 1, groups=2)              # grouped, stride 2 (asymmetric vs TF 'same')
        self.c3 = nn.Conv2d(8, 8, 3, 1, 2, dilation=2)            # dilated
        self.c4 = nn.Conv2d(16, 12, 3, 1, 1)                      # after Concat
        self.se1 = nn.Conv2d(12, 4, 1)
        self.se2 = nn.Conv2d(4, 12, 1)
        self.c5 = nn.Conv2d(12, 12, 3, 2, 0)                      # after Pad
        self.c6 = nn.Conv2d(12, 16, 1)
        self.w = nn.Parameter(torch.randn(16, 10) * 0.3)          # MatMul
        self.b = nn.Parameter(torch.randn(10) * 0.1)

    def forward(self, x):
        t = self.tap
        a = t(F.leaky_relu(self.bn1(self.c1(x)), 0.1))
        b = t(torch.sigmoid(self.c2(a))) * 2.0                   # Sigmoid, Mul by a constant (after the node layer)
        c = t(F.hardswish(self.c3(b)))
        d = t(torch.clamp(self.c4(torch.cat([b, c], 1)), 0.0, 4.0))
        # Conv -> HardSigmoid: the loader writes HardSigmoid as Rescaling + ReLU(max 1), so that node
        # layer is the conv's output before the gate (the tap says so).
        gate = F.hardsigmoid(t(self.se2(t(F.relu(self.se1(F.adaptive_avg_pool2d(d, 1)))))))
        d = d * gate                                             # squeeze-excite Mul
        d = F.max_pool2d(d, 3, 1, 1)                             # MaxPool with pads
        d = F.pad(d, (0, 1, 0, 1))                               # Pad (right, bottom)
        e = t(F.relu(self.c5(d)))
        e = F.avg_pool2d(e, 3, 1, 1, count_include_pad=True)     # AveragePool with pads
        f = t(F.relu(self.c6(e)))
        g = F.adaptive_avg_pool2d(f, 1).reshape(-1, 16)
        logits = t(g @ self.w + self.b)
        return torch.softmax(logits, 1)


def read_records(path, n=None):
    x, y = D.read_exact(path, n)
    return torch.from_numpy(x).permute(0, 3, 1, 2).float().div(255.0).contiguous(), torch.from_numpy(y)


def train(model, epochs, seed):
    xs, ys = zip(*(read_records(p) for p in EXACT_TRAIN))
    x, y = torch.cat(xs), torch.cat(ys)
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    start = time.time()
    model.train()
    for epoch in range(1, epochs + 1):
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x) - 63, 64):
            idx = perm[i:i + 64]
            xb = x[idx]
            flip = torch.rand(len(idx), generator=g) < 0.5
            xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
            pad = F.pad(xb, (4, 4, 4, 4))
            dx, dy = torch.randint(0, 9, (2,), generator=g).tolist()
            xb = pad[:, :, dy:dy + 32, dx:dx + 32]
            loss = F.cross_entropy(model(xb), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"  epoch {epoch} loss {loss.item():.3f} ({time.time() - start:.0f}s)", flush=True)
    recalibrate_batchnorm(model, x[:2048])
    model.eval()


@torch.no_grad()
def recalibrate_batchnorm(model, x):
    """A few minutes of Adam leave the running BatchNorm statistics behind the weights (eval accuracy
    collapses to chance): re-estimate them as plain averages over 2,048 training images."""
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    if not bns:
        return
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average
    model.train()
    for i in range(0, len(x), 256):
        model(x[i:i + 256])


def randomise_bn(model, seed):
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.2)
            m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=g) + 0.5)
            m.bias.data.copy_(torch.randn(m.num_features, generator=g) * 0.2)


def g7(v):
    return float(f"{float(v):.7g}")


@torch.no_grad()
def fixture(name, model, opset):
    model.eval()
    path = os.path.join(OUT, name + ".onnx")
    torch.onnx.export(model, torch.zeros(1, 3, 32, 32), path, opset_version=opset, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    x, y = read_records(SAMPLE, FIXTURE_IMAGES)
    model.taps = []
    logits = model(x)
    taps, model.taps = model.taps, None
    if name == "opzoo":
        logits = taps[-1]  # the model ends in a softmax; the logits are what the loader exposes
    nodes = []
    for a in taps:
        a = a.double()
        flat = a.flatten(2) if a.dim() == 4 else a[:, :, None]
        nodes.append({
            "channels": a.shape[1],
            "spatial": list(a.shape[2:]),
            "fro": [[g7(v) for v in row] for row in torch.linalg.vector_norm(flat, dim=2).tolist()],
            "mean": [[g7(v) for v in row] for row in flat.mean(2).tolist()],
        })
    xt, yt = read_records(D.EXACT_TEST)
    pred = torch.cat([model(xt[i:i + 256]).argmax(1) for i in range(0, len(xt), 256)])
    accuracy = (pred == yt).double().mean().item()
    doc = {
        "model": name, "opset": opset, "images": FIXTURE_IMAGES, "labels": y.tolist(),
        "logits": [[g7(v) for v in row] for row in logits.tolist()],
        "nodeLayers": nodes,
        "testRecords": len(yt), "predictions": pred.tolist(), "accuracy": accuracy,
        "params": sum(p.numel() for p in model.parameters()),
    }
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    print(f"{name}: opset {opset}, {len(nodes)} node layers, accuracy {accuracy:.4f} on {len(yt)} exact test records, "
          f"{os.path.getsize(path) / 1e6:.2f} MB", flush=True)


def main():
    quick = "--quick" in sys.argv
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    # Fixed epochs (not a time budget) so the weights do not depend on the machine's load.
    for name, cls, opset, epochs in [("lenet", LeNet, 9, 2), ("resnet18", ResNet18, 13, 1), ("mobilenetv2", MobileNetV2, 13, 1)]:
        if only and only != name:
            continue
        model = cls()
        print(f"training {name} for {epochs} epochs", flush=True)
        train(model, 0 if quick else epochs, seed=1)
        fixture(name, model, opset)
    if only and only != "opzoo":
        return
    torch.manual_seed(3)
    zoo = OpZoo()
    randomise_bn(zoo, 4)
    fixture("opzoo", zoo, 17)


if __name__ == "__main__":
    main()
