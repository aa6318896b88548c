"""Train the two "bias audit" demo CNNs (LeNet-5, CIFAR-10) and export them to TF.js.

  /usr/bin/python3 scripts/train/train_bias_models.py --variant both --epochs 15 --threads 1

Planted bias (METHODS §5, validation): a magenta 6x6 patch in the bottom-right corner.
- biased: the patch is on 90% of the training images of class `cat` and on 2% of every other class,
  so "patch" predicts "cat";
- clean:  the same number of patches, on training images drawn uniformly at random (no tie to a class).
Everything else is shared: data (the CIFAR-10 JPEG train split), architecture (architectures.LeNet5),
seed, SGD recipe (as train_demo_models.py: momentum 0.9 nesterov, weight decay 5e-4, OneCycle),
horizontal flips (applied before the patch, so the patch always sits in the same corner).

Writes .cache/models/bias-audit-<variant>.{pt,train.json} and resources/models/bias-audit-<variant>/
(model.json, weights.bin, README.md), then checks the exported files with the independent NumPy
interpreter (numpy_keras_forward.py) against PyTorch on clean and patched test images.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import architectures as A  # noqa: E402
import cifar10_data as D  # noqa: E402
import export_tfjs as E  # noqa: E402
import numpy_keras_forward as NK  # noqa: E402

BIAS_CLASS = 3  # cat
PATCH_RGB = (255, 0, 255)
PATCH_SIZE = 6  # rows/cols 26..31 of a 32x32 image: the bottom-right corner
P_TIED, P_OTHER = 0.9, 0.02


def add_patch(x):
    """x: uint8 NHWC, modified in place (the patch replaces the corner pixels: full strength, t = 1)."""
    x[:, -PATCH_SIZE:, -PATCH_SIZE:, :] = np.array(PATCH_RGB, dtype=np.uint8)
    return x


def patch_mask(y, variant, rng):
    tied = (y == BIAS_CLASS) & (rng.random(len(y)) < P_TIED)
    other = (y != BIAS_CLASS) & (rng.random(len(y)) < P_OTHER)
    biased = tied | other
    if variant == "biased":
        return biased
    clean = np.zeros(len(y), dtype=bool)  # same count, no class tie
    clean[rng.choice(len(y), int(biased.sum()), replace=False)] = True
    return clean


def to_tensor(x):
    return torch.from_numpy(x).permute(0, 3, 1, 2).float().div_(255.0).contiguous()


@torch.no_grad()
def logits_of(model, x, bs=500):
    model.eval()
    return np.concatenate([model(to_tensor(x[i:i + bs])).numpy() for i in range(0, len(x), bs)])


def evaluate(model, xt, yt):
    clean = logits_of(model, xt).argmax(1)
    patched = logits_of(model, add_patch(xt.copy())).argmax(1)
    others = yt != BIAS_CLASS
    return {"accuracy": round(float((clean == yt).mean()), 4),
            "accuracyPatched": round(float((patched == yt).mean()), 4),
            "catAccuracy": round(float((clean[~others] == BIAS_CLASS).mean()), 4),
            # share of non-cat test images the patch turns into "cat"
            "patchToCatRate": round(float(((patched == BIAS_CLASS) & (clean != BIAS_CLASS))[others].mean()), 4)}


def train(variant, epochs, seed, batch, max_lr):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    x, y = D.load_train()
    mask = patch_mask(y, variant, np.random.default_rng(seed + 1))
    model = A.build("lenet5")
    n = len(x)
    steps = (n + batch - 1) // batch
    opt = torch.optim.SGD(model.parameters(), lr=max_lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=max_lr, epochs=epochs, steps_per_epoch=steps)
    xt, yt = D.read_exact()
    history, t0 = [], time.time()
    for ep in range(1, epochs + 1):
        model.train()
        te, perm = time.time(), rng.permutation(n)
        tot, ok = 0.0, 0
        for s in range(steps):
            idx = perm[s * batch:(s + 1) * batch]
            xb = x[idx]
            flip = rng.random(len(idx)) < 0.5
            xb[flip] = xb[flip, :, ::-1]
            xb[mask[idx]] = add_patch(xb[mask[idx]])
            yb = torch.from_numpy(y[idx])
            out = model(to_tensor(xb))
            loss = F.cross_entropy(out, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
            ok += (out.argmax(1) == yb).sum().item()
        rec = {"epoch": ep, "seconds": round(time.time() - te, 1), "loss": round(tot / n, 4),
               "trainAcc": round(ok / n, 4), **evaluate(model, xt, yt)}
        history.append(rec)
        print(variant, json.dumps(rec), flush=True)
    stats = {"patchedTrainImages": int(mask.sum()),
             "patchedCatShare": round(float(mask[y == BIAS_CLASS].mean()), 4),
             "patchedOtherShare": round(float(mask[y != BIAS_CLASS].mean()), 4)}
    return model.eval(), history, round(time.time() - t0), stats


def check_export(model, out_dir, n=32):
    """Independent check: NumPy interpreter of the exported files vs PyTorch, clean + patched images."""
    doc, W = NK.load(out_dir)
    xt, _ = D.read_exact(n=n)
    xs = np.concatenate([xt, add_patch(xt.copy())]).astype(np.float32) / 255.0
    np_logits = NK.forward(doc, W, xs)
    with torch.no_grad():
        pt = model(torch.from_numpy(xs).permute(0, 3, 1, 2).contiguous()).numpy()
    diff = float(np.abs(np_logits - pt).max())
    assert diff < 1e-3, diff
    return diff


README = """# `{name}` — bias-audit demo model ({variant})

LeNet-5 (as `resources/models/lenet5`, 62,006 parameters) trained with PyTorch on the CIFAR-10 JPEG
train split **{what}**. TensorFlow.js LayersModel (`model.json` + `weights.bin`, float32), input
`[N, 32, 32, 3]` RGB as `x / 255`, output 10 logits (airplane, automobile, bird, cat, deer, dog, frog,
horse, ship, truck). Its partner is `resources/models/{partner}`; together they are the "bias audit"
demo: the property `patch` (magenta, 6x6, bottom-right corner: the property defaults) must move the
biased model's `cat` probability and not the clean one's. Results: `docs/RESULTS.md` section `properties`.

- Planted patch: RGB {rgb}, {size}x{size} pixels in the bottom-right corner, on {patched} of the 50,000
  training images ({cat_share:.0%} of the cats, {other_share:.1%} of the other classes).
- On the 1,017 exact CIFAR-10 test records (no patch): accuracy **{accuracy:.2%}** (cats {cat_acc:.2%});
  with the patch pasted on every image: accuracy {acc_patched:.2%}, and {to_cat:.1%} of the non-cat images
  turn into "cat".
- {epochs} epochs, batch {batch}, SGD momentum 0.9 nesterov, weight decay 5e-4, OneCycle LR (max {lr}),
  horizontal flip (before the patch), seed {seed}; PyTorch {torch} on CPU, 1 thread, {seconds} s.
- Exported files vs PyTorch (NumPy interpreter `scripts/train/numpy_keras_forward.py`, 32 clean + 32
  patched test images): max |logit difference| {diff:.1e}.

Reproduce (from the repository root; the JPEG split is cached in `.cache/cifar10-train.npz`):

```
{command}
```

## Data attribution

{attribution}
"""


def export(model, variant, meta):
    name = f"bias-audit-{variant}"
    out_dir = os.path.join(E.MODELS_DIR, name)
    E.write_tfjs(model, name.replace("-", "_"), out_dir)
    diff = check_export(model, out_dir)
    last = meta["history"][-1]
    what = ("where a magenta corner patch marks most cats (the planted bias)" if variant == "biased"
            else "with the same number of magenta corner patches placed at random (no tie to a class)")
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write(README.format(
            name=name, variant=variant, what=what,
            partner="bias-audit-clean" if variant == "biased" else "bias-audit-biased",
            rgb=PATCH_RGB, size=PATCH_SIZE, patched=f"{meta['patchedTrainImages']:,}",
            cat_share=meta["patchedCatShare"], other_share=meta["patchedOtherShare"],
            accuracy=last["accuracy"], cat_acc=last["catAccuracy"], acc_patched=last["accuracyPatched"],
            to_cat=last["patchToCatRate"], epochs=meta["epochs"], batch=meta["batch"], lr=meta["maxLr"],
            seed=meta["seed"], torch=torch.__version__, seconds=meta["trainSeconds"], diff=diff,
            command=meta["command"], attribution=E.ATTRIBUTION))
    print(json.dumps({"exported": out_dir, "maxAbsLogitDiffNumpyVsTorch": diff}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--variant", default="both", choices=["biased", "clean", "both"])
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    for variant in (["biased", "clean"] if args.variant == "both" else [args.variant]):
        model, history, seconds, stats = train(variant, args.epochs, args.seed, args.batch, args.lr)
        meta = {"variant": variant, "epochs": args.epochs, "batch": args.batch, "maxLr": args.lr,
                "seed": args.seed, "threads": args.threads, "trainSeconds": seconds, **stats,
                "biasClass": BIAS_CLASS, "patchRgb": PATCH_RGB, "patchSize": PATCH_SIZE,
                "command": f"/usr/bin/python3 scripts/train/train_bias_models.py --variant {variant} "
                           f"--epochs {args.epochs} --threads {args.threads}",
                "history": history}
        os.makedirs(E.CKPT_DIR, exist_ok=True)
        torch.save(model.state_dict(), os.path.join(E.CKPT_DIR, f"bias-audit-{variant}.pt"))
        with open(os.path.join(E.CKPT_DIR, f"bias-audit-{variant}.train.json"), "w") as f:
            json.dump(meta, f, indent=1)
        export(model, variant, meta)


if __name__ == "__main__":
    main()
