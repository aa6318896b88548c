"""How many held-out images does the ground truth need? (issue 12, items 1 and 6)

  nice -n 10 /usr/bin/python3 bench/truth_reliability.py [--models lenet5,vgg_bn,resnet] [--images 2000]

PyTorch rebuild of each demo model (weights read back from resources/models/<model>, eval mode, input
x/255). Images: the 1,017 exact CIFAR-10 test records, then JPEG test images that are not among them
(per class, the JPEG files numbered from that class's count in the exact records on; the JPEG numbering
follows the official order within each class). For every channel of every node layer: do(A = 0) and
the per-image true-class margin (true-class logit minus the largest other logit) and correctness.

Then, for each size n, split-half reliability of the truth per layer: R seeded random n-image subsets
(exact images first when n <= 1,017, else all exact + JPEG), each split in two halves stratified by
class; Spearman between the per-channel mean drops on the two halves, Spearman-Brown corrected
(2ρ/(1+ρ)). Both keys: margin drop (the truth) and accuracy drop (the old key). Prints JSON lines;
the per-image drops are cached in .cache/truth-drops-<model>-<images>.npz.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from scipy.stats import spearmanr

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scripts", "train"))
import cifar10_data as D  # noqa: E402
import export_tfjs as E  # noqa: E402
from make_demo_data import jpeg_test_beyond_exact  # noqa: E402  (the demo set's own JPEG reader)


def images(total):
    x, y = D.read_exact()
    if total > len(y):
        xj, yj = jpeg_test_beyond_exact(y, total - len(y))
        yj = yj.astype(np.int64)
        x, y = np.concatenate([x, xj]), np.concatenate([y, yj])
    return x[:total], y[:total]


def margins(logits, y):
    true = logits[np.arange(len(y)), y]
    other = logits.copy()
    other[np.arange(len(y)), y] = -np.inf
    return true - other.max(1), logits.argmax(1) == y


def suffix_runner(model, layer):
    """(capture(inputs) -> state, rerun(state, channel) -> logits): the network after `layer` only."""
    import torch.nn.functional as F
    name = type(model).__name__
    node = model.node_modules()[layer]
    cap = {}

    def capture(inputs):
        hooks = [node.register_forward_hook(lambda _m, _i, o: cap.__setitem__("a", o))]
        if name == "ResNet14":
            for p, blk in model.blocks.items():
                hooks.append(blk.register_forward_pre_hook(lambda _m, i, p=p: cap.__setitem__(p, i[0])))
        model(inputs)
        for h in hooks:
            h.remove()
        return dict(cap)

    def rerun(state, channel):
        a = state["a"].clone()
        a[:, channel] = 0
        if name == "VGGBN":
            i = int(layer[len("relu"):])
            x = F.max_pool2d(a, 2) if i % 2 == 0 else a
            for j in range(i + 1, len(model.widths) + 1):
                x = getattr(model, f"relu{j}")(getattr(model, f"bn{j}")(getattr(model, f"conv{j}")(x)))
                if j % 2 == 0:
                    x = F.max_pool2d(x, 2)
            return model.logits(x.mean(dim=(2, 3)))
        if name == "ResNet14":
            names = list(model.blocks)
            if layer == "relu1":
                x, rest = a, names
            else:
                p, part = layer.rsplit("_", 1)
                blk = model.blocks[p]
                if part == "relu1":
                    xin = state[p]
                    sc = xin if blk.sc_conv is None else blk.sc_bn(blk.sc_conv(xin))
                    x = blk.relu(blk.bn2(blk.conv2(a)) + sc)
                else:
                    x = a
                rest = names[names.index(p) + 1:]
            for p in rest:
                x = model.blocks[p](x)
            return model.logits(x.mean(dim=(2, 3)))
        if name == "LeNet5":
            x = F.max_pool2d(a, 2)
            if layer == "conv1":
                x = F.max_pool2d(model.relu2(model.conv2(x)), 2)
            x = torch.flatten(x, 1)
            return model.logits(F.relu(model.fc2(F.relu(model.fc1(x)))))
        raise ValueError(name)

    return capture, rerun


@torch.no_grad()
def drops(name, x, y, batch=500, only=None):
    model = E.load_torch_from_tfjs(name)
    inputs = torch.from_numpy(x).permute(0, 3, 1, 2).float().div(255.0).contiguous()
    base = np.concatenate([model(inputs[i:i + batch]).double().numpy() for i in range(0, len(inputs), batch)])
    base_margin, base_correct = margins(base, y)
    result = {"base_margin": base_margin, "base_correct": base_correct}
    for layer in model.node_modules():
        if only and layer not in only:
            continue
        capture, rerun = suffix_runner(model, layer)
        started = time.time()
        m = c = None
        for i in range(0, len(inputs), batch):
            state = capture(inputs[i:i + batch])
            channels = state["a"].shape[1]
            if m is None:
                m = np.zeros((channels, len(y)), dtype=np.float32)
                c = np.zeros((channels, len(y)), dtype=bool)
            for k in range(channels):
                mk, ck = margins(rerun(state, k).double().numpy(), y[i:i + batch])
                m[k, i:i + batch] = base_margin[i:i + batch] - mk
                c[k, i:i + batch] = ck
        result[layer + "/margin_drop"] = m
        result[layer + "/correct"] = c
        print(json.dumps({"model": name, "layer": layer, "channels": int(m.shape[0]), "seconds": round(time.time() - started, 1)}), flush=True)
    return result


def stratified_halves(labels, rng):
    a, b = [], []
    for cls in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == cls))
        # Alternate which half takes the odd one out, so the halves differ by at most one image.
        first = idx[: (len(idx) + (len(a) <= len(b))) // 2]
        a.extend(first)
        b.extend(np.setdiff1d(idx, first))
    return np.array(a), np.array(b)


def reliability(drop, idx_a, idx_b):
    rho = spearmanr(drop[:, idx_a].mean(1), drop[:, idx_b].mean(1))[0]
    return float(2 * rho / (1 + rho)) if np.isfinite(rho) else float("nan")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--models", default="lenet5,vgg_bn,resnet")
    p.add_argument("--images", type=int, default=2000)
    p.add_argument("--sizes", default="100,200,300,400,500,600,800,1000,1500,2000")
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--layers", default="", help="only these node layers (comma-separated)")
    args = p.parse_args()
    torch.set_num_threads(1)
    x, y = images(args.images)
    for name in args.models.split(","):
        only = [l for l in args.layers.split(",") if l]
        cache = os.path.join(D.REPO, ".cache", f"truth-drops-{name}-{len(y)}{'-' + '-'.join(only) if only else ''}.npz")
        if os.path.exists(cache):
            data = dict(np.load(cache))
        else:
            data = drops(name, x, y, only=only)
            os.makedirs(os.path.dirname(cache), exist_ok=True)
            np.savez(cache, **data)
        layers = [k[: -len("/margin_drop")] for k in data if k.endswith("/margin_drop")]
        base_correct = data["base_correct"]
        for n in [int(s) for s in args.sizes.split(",") if int(s) <= len(y)]:
            rng = np.random.default_rng(n)
            row = {"model": name, "images": n, "layers": {}}
            pools = np.arange(len(y))
            for layer in layers:
                margin = data[layer + "/margin_drop"]
                acc = base_correct[None, :].astype(np.float32) - data[layer + "/correct"]
                rm, ra = [], []
                for r in range(args.repeats):
                    subset = np.sort(rng.choice(pools, size=n, replace=False)) if n < len(y) else pools
                    a, b = stratified_halves(y[subset], rng)
                    rm.append(reliability(margin[:, subset], a, b))
                    ra.append(reliability(acc[:, subset], a, b))
                row["layers"][layer] = {"margin": round(float(np.nanmean(rm)), 3), "marginMin": round(float(np.nanmin(rm)), 3),
                                        "accuracy": round(float(np.nanmean(ra)), 3)}
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
