"""A tiny, independent NumPy interpreter of an exported TF.js LayersModel (model.json + weights.bin),
NHWC, implementing just the layer classes the demo models use. It reads only the exported files
(not the PyTorch code) so that it catches layout mistakes in the exporter.

  /usr/bin/python3 scripts/train/numpy_keras_forward.py [--model all|lenet5|vgg_bn|resnet] [--n 16]

compares its logits with PyTorch's (.cache/models/<model>.pt) on the first n exact test images.
"""
import argparse
import json
import os
import sys

import numpy as np


def load(model_dir):
    doc = json.load(open(os.path.join(model_dir, "model.json")))
    assert doc["format"] == "layers-model"
    weights = {}
    for group in doc["weightsManifest"]:
        buf = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        off = 0
        for w in group["weights"]:
            n = int(np.prod(w["shape"]))
            weights[w["name"]] = np.frombuffer(buf, "<f4", n, off).reshape(w["shape"]).astype(np.float64)
            off += 4 * n
        assert off == len(buf)
    return doc, weights


def act(x, name):
    if name in (None, "linear"):
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "softmax":
        e = np.exp(x - x.max(-1, keepdims=True))
        return e / e.sum(-1, keepdims=True)
    raise ValueError(name)


def pad_same(x, k, s):
    """TensorFlow 'same' padding (extra pixel goes bottom/right)."""
    h, w = x.shape[1:3]
    out = []
    for size, kk, ss in ((h, k[0], s[0]), (w, k[1], s[1])):
        o = -(-size // ss)
        total = max((o - 1) * ss + kk - size, 0)
        out.append((total // 2, total - total // 2))
    return np.pad(x, ((0, 0), out[0], out[1], (0, 0)))


def conv2d(x, kernel, strides, padding):
    kh, kw, cin, cout = kernel.shape
    if padding == "same":
        x = pad_same(x, (kh, kw), strides)
    n, h, w, c = x.shape
    assert c == cin
    sh, sw = strides
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    y = np.zeros((n, oh, ow, cout))
    for i in range(kh):
        for j in range(kw):
            patch = x[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw, :]
            y += patch @ kernel[i, j]
    return y


def maxpool(x, pool, strides, padding):
    assert padding == "valid"
    n, h, w, c = x.shape
    oh, ow = (h - pool[0]) // strides[0] + 1, (w - pool[1]) // strides[1] + 1
    y = np.full((n, oh, ow, c), -np.inf)
    for i in range(pool[0]):
        for j in range(pool[1]):
            y = np.maximum(y, x[:, i:i + strides[0] * (oh - 1) + 1:strides[0],
                                j:j + strides[1] * (ow - 1) + 1:strides[1], :])
    return y


def forward(doc, W, x, return_all=False):
    """x: float NHWC. Returns the output (or a dict of every layer's output)."""
    cfg = doc["modelTopology"]["config"]
    if "config" in doc["modelTopology"] and "layers" not in cfg:
        raise ValueError("unsupported topology")
    out = {}
    for L in cfg["layers"]:
        cls, name, c = L["class_name"], L["name"], L["config"]
        ins = [out[src[0]] for node in L["inbound_nodes"] for src in node]
        if cls == "InputLayer":
            y = x.astype(np.float64)
        elif cls == "Conv2D":
            assert c.get("data_format", "channels_last") == "channels_last"
            assert list(c.get("dilation_rate", [1, 1])) == [1, 1]
            y = conv2d(ins[0], W[name + "/kernel"], c["strides"], c["padding"])
            if c.get("use_bias", True):
                y = y + W[name + "/bias"]
            y = act(y, c.get("activation"))
        elif cls == "BatchNormalization":
            assert c["axis"] in (-1, 3, [3], [-1])
            g = W[name + "/gamma"] if c.get("scale", True) else 1.0
            b = W[name + "/beta"] if c.get("center", True) else 0.0
            y = (ins[0] - W[name + "/moving_mean"]) / np.sqrt(W[name + "/moving_variance"] + c["epsilon"]) * g + b
        elif cls == "Activation":
            y = act(ins[0], c["activation"])
        elif cls == "MaxPooling2D":
            y = maxpool(ins[0], c["pool_size"], c.get("strides") or c["pool_size"], c["padding"])
        elif cls == "GlobalAveragePooling2D":
            y = ins[0].mean(axis=(1, 2))
        elif cls == "Flatten":
            y = ins[0].reshape(ins[0].shape[0], -1)  # row-major NHWC == Keras (H, W, C) order
        elif cls == "Dense":
            y = ins[0] @ W[name + "/kernel"]
            if c.get("use_bias", True):
                y = y + W[name + "/bias"]
            y = act(y, c.get("activation"))
        elif cls == "Dropout":
            y = ins[0]
        elif cls == "ZeroPadding2D":
            (t, b), (l, r) = c["padding"]
            y = np.pad(ins[0], ((0, 0), (t, b), (l, r), (0, 0)))
        elif cls == "Add":
            y = sum(ins)
        else:
            raise ValueError("unsupported layer class " + cls)
        out[name] = y
    if return_all:
        return out
    return out[cfg["output_layers"][0][0]]


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import torch
    import export_tfjs as E
    import cifar10_data as D
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="all")
    ap.add_argument("--n", type=int, default=16)
    ap.add_argument("--fixtures", action="store_true",
                    help="also check test/fixtures/demo-models/<model>.json (logits and node-layer stats)")
    args = ap.parse_args()
    x, y = D.read_exact(n=args.n)
    xf = x.astype(np.float32) / 255.0
    worst = 0.0
    for name in (["lenet5", "vgg_bn", "resnet"] if args.model == "all" else [args.model]):
        doc, W = load(os.path.join(E.MODELS_DIR, name))
        np_logits = forward(doc, W, xf)
        model = E.load_trained(name)
        with torch.no_grad():
            pt = model(torch.from_numpy(xf).permute(0, 3, 1, 2).contiguous()).numpy()
        d = float(np.abs(np_logits - pt).max())
        worst = max(worst, d)
        agree = float((np_logits.argmax(1) == pt.argmax(1)).mean())
        print(json.dumps({"model": name, "images": args.n, "maxAbsLogitDiff": d, "argmaxAgreement": agree,
                          "ok": d < 1e-3}))
        if args.fixtures:
            fx = json.load(open(os.path.join(D.REPO, "test", "fixtures", "demo-models", name + ".json")))
            xs, ys = D.read_exact(E.SAMPLE_BIN, n=fx["images"])
            assert list(ys) == fx["labels"]
            out = forward(doc, W, xs.astype(np.float32) / 255.0, return_all=True)
            fd = {"logits": float(np.abs(out["logits"] - np.array(fx["logits"])).max())}
            for k, v in fx["nodeLayers"].items():
                a = out[k]
                stats = {"fro": np.sqrt((a ** 2).sum((1, 2))), "mean": a.mean((1, 2)),
                         "max": a.max((1, 2)), "std": a.std((1, 2))}
                fd[k] = max(float(np.abs(stats[s] - np.array(v[s])).max() / (1 + np.abs(stats[s]).max()))
                            for s in stats)
            fworst = max(fd.values())
            worst = max(worst, fworst)
            print(json.dumps({"model": name, "fixtureMaxRelDiff": fworst, "ok": fworst < 1e-3}))
    if worst >= 1e-3:
        sys.exit(1)


if __name__ == "__main__":
    main()
